package org.kvmosgi.kernel.kmod;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
    private final Semaphore kmodConcurrentMax = new Semaphore(MAX_KMOD_CONCURRENT, true);
    private final Map<String, CompletableFuture<Integer>> inFlight = new ConcurrentHashMap<>();
    private volatile UserModeHelper helper;

    public RequestModule(Printk printk) {
        this.printk = printk;
    }

    /** Sets the user-mode helper (the shell's modprobe), or null when there is none. */
    public void setHelper(UserModeHelper helper) {
        this.helper = helper;
    }

    /** 0 on success, modprobe's non-zero exit status, or a negative errno. */
    public int request(String name) {
        if (name == null || name.isEmpty()) {
            return Errno.EINVAL.neg();
        }
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
