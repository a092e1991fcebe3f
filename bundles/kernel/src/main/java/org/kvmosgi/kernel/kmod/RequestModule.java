package org.kvmosgi.kernel.kmod;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.Printk;

/**
 * request_module (kernel/module/kmod.c): runs {@code modprobe -q -- NAME} in user space.
 * At most {@value #MAX_KMOD_CONCURRENT} run at once; a caller that waits more than
 * {@value #MAX_KMOD_ALL_BUSY_TIMEOUT} s for a slot fails with -ETIME. Concurrent requests
 * for one name are coalesced (kernel/module/dups.c, 6.4+): they all get the first's result.
 */
public final class RequestModule {
    static final int MAX_KMOD_CONCURRENT = 50;
    static final int MAX_KMOD_ALL_BUSY_TIMEOUT = 5;

    /** How user space runs modprobe: returns its exit status, or -ENOENT when there is no modprobe. */
    public interface UserModeHelper {
        int run(String... argv);
    }

    private final Printk printk;
    /** Whether a module of that name is loading (UNFORMED or COMING). */
    private final Predicate<String> loading;
    private final Semaphore kmodConcurrentMax = new Semaphore(MAX_KMOD_CONCURRENT, true);
    private final Map<String, CompletableFuture<Integer>> inFlight = new ConcurrentHashMap<>();
    private volatile UserModeHelper helper;
    /** Names each module's code has asked for and is waiting on, by requester. */
    private final Map<String, Queue<String>> pending = new ConcurrentHashMap<>();

    public RequestModule(Printk printk, Predicate<String> loading) {
        this.printk = printk;
        this.loading = loading;
    }

    /** Sets the user-mode helper (the shell's modprobe), or null when there is none. */
    public void setHelper(UserModeHelper helper) {
        this.helper = helper;
    }

    /** 0 on success, modprobe's non-zero exit status, or a negative errno. */
    public int request(String name) {
        return request(null, name);
    }

    /**
     * request_module from {@code requester}'s code (null: the kernel's own): as
     * {@link #request(String)}, and while it runs the requester's init, if it is loading,
     * waits for {@code name} (what {@link #waitsForItself} follows).
     */
    public int request(String requester, String name) {
        if (name == null || name.isEmpty()) {
            return Errno.EINVAL.neg();
        }
        if (requester == null) {
            return coalesced(name);
        }
        pending.computeIfAbsent(requester, k -> new ConcurrentLinkedQueue<>()).add(name);
        try {
            return coalesced(name);
        } finally {
            pending.computeIfPresent(requester, (k, q) -> {
                q.remove(name);
                return q.isEmpty() ? null : q;
            });
        }
    }

    /**
     * Whether a load that waits for the loading module {@code module} would wait for
     * itself: {@code module}'s init waits on a request_module whose modprobe would wait
     * for {@code module} again, directly (a module requesting itself) or through other
     * loading modules' requests (a requests b, b requests a). Linux waits there until a
     * fatal signal; the model fails that load instead (-EBUSY, as for a module that is
     * not live), so the request returns and the init goes on.
     */
    public boolean waitsForItself(String module) {
        java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        todo.add(module);
        while (!todo.isEmpty()) {
            String m = todo.poll();
            if (!seen.add(m)) {
                continue;
            }
            java.util.Queue<String> names = pending.get(m);
            if (names == null) {
                continue;
            }
            for (String n : names) {
                String requested = n.replace('-', '_');
                if (requested.equals(module)) {
                    printk.warn("request_module: modprobe %s waits for the init of %s, which waits for it: "
                            + "failing the load with -EBUSY", n, module);
                    return true;
                }
                if (loading.test(requested)) {
                    todo.add(requested);
                }
            }
        }
        return false;
    }

    private int coalesced(String name) {
        CompletableFuture<Integer> mine = new CompletableFuture<>();
        CompletableFuture<Integer> first = inFlight.putIfAbsent(name, mine);
        if (first != null) {
            return first.join();
        }
        try {
            int r = callModprobe(name);
            mine.complete(r);
            return r;
        } catch (RuntimeException e) {
            mine.complete(Errno.EFAULT.neg());
            throw e;
        } finally {
            inFlight.remove(name, mine);
        }
    }

    private int callModprobe(String name) {
        boolean got;
        try {
            got = kmodConcurrentMax.tryAcquire(MAX_KMOD_ALL_BUSY_TIMEOUT, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Errno.EINTR.neg();
        }
        if (!got) {
            printk.warn(
                    "request_module: modprobe %s cannot be processed, kmod busy with %d threads for more than %d seconds now",
                    name, MAX_KMOD_CONCURRENT, MAX_KMOD_ALL_BUSY_TIMEOUT);
            return Errno.ETIME.neg();
        }
        try {
            UserModeHelper h = helper;
            if (h == null) {
                return Errno.ENOENT.neg();
            }
            return h.run("modprobe", "-q", "--", name);
        } finally {
            kmodConcurrentMax.release();
        }
    }
}
