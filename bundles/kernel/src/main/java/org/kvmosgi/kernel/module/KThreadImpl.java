package org.kvmosgi.kernel.module;

import java.util.function.ToIntFunction;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.KThread;
import org.kvmosgi.kernel.api.Printk;

/** A kernel thread: a daemon Java thread named {@code [name]}, charged to its module. */
final class KThreadImpl implements KThread {
    private final KModule owner;
    private final String name;
    final String step;
    private final Thread thread;
    private volatile boolean shouldStop;
    private volatile boolean running = true;
    private volatile int result;
    private boolean stopped;
    private final Runnable exited;

    KThreadImpl(KModule owner, String name, String step, ToIntFunction<KThread> threadfn, Printk printk,
            Runnable exited) {
        this.owner = owner;
        this.name = name;
        this.step = step;
        this.thread = new Thread(() -> {
            try {
                result = threadfn.applyAsInt(this);
            } catch (RuntimeException e) {
                printk.err("BUG: kthread %s of %s threw %s", name, owner.name, e);
                result = Errno.EFAULT.neg();
            } finally {
                running = false;
                exited.run();
            }
        }, "[" + name + "]");
        thread.setDaemon(true);
        this.exited = exited;
    }

    /** Starts the thread; false when the JVM cannot (kernel_clone's -ENOMEM), its task slot given back. */
    boolean start() {
        owner.threads.add(this);
        try {
            thread.start();
            return true;
        } catch (OutOfMemoryError e) {
            // "unable to create native thread": the host has no task or stack left
            owner.threads.remove(this);
            running = false;
            exited.run();
            return false;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean shouldStop() {
        return shouldStop;
    }

    @Override
    public boolean running() {
        return running;
    }

    @Override
    public synchronized int stop() {
        if (stopped) {
            return Errno.EINTR.neg();
        }
        stopped = true;
        shouldStop = true;
        // a thread function asleep in the model wakes as from wake_up_process()
        thread.interrupt();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        owner.threads.remove(this);
        return result;
    }
}
