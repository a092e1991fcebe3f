package org.kvmosgi.kvmtool.guest.pvlock;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * stop_machine() as multi_cpu_stop() does it: the calling vCPU asks, every other vCPU
 * joins at its next safe point (the model's stopper thread: it runs only where the vCPU
 * holds no spinlock and is inside no lock op) and spins there; when all are in, the
 * caller runs the function and lets them go.
 */
final class StopMachine {
    private final int ncpu;
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int requested;
    private volatile int released;
    /**
     * Sum over vCPUs of the time each spent stopped (from joining until it runs again, so
     * the host's scheduling of its thread counts, as a vCPU's steal time would), and the
     * longest rendezvous from request to release.
     */
    private volatile long stoppedNanos;
    private volatile long longestNanos;
    private volatile int runs;

    StopMachine(int ncpu) {
        this.ncpu = ncpu;
    }

    /** The caller's side: waits for the others, runs {@code fn}, releases them. */
    void run(LockCpu c, Runnable fn) {
        long t0 = System.nanoTime();
        int gen = requested + 1;
        arrived.set(1);
        c.joined = gen;
        requested = gen; // from here the others join
        c.state = LockCpu.PATCHING;
        while (arrived.get() < ncpu) {
            c.relax();
        }
        fn.run();
        released = gen;
        long took = System.nanoTime() - t0;
        synchronized (this) {
            stoppedNanos += took;
            longestNanos = Math.max(longestNanos, took);
            runs++;
        }
        c.state = LockCpu.RUNNING;
    }

    /** A vCPU's safe point: joins a pending stop and spins until it is over. */
    void safePoint(LockCpu c) {
        int gen = requested;
        if (gen == c.joined) {
            return;
        }
        c.joined = gen;
        long t0 = System.nanoTime();
        c.state = LockCpu.STOPPED;
        arrived.incrementAndGet();
        while (released != gen) {
            c.relax();
        }
        long took = System.nanoTime() - t0;
        synchronized (this) {
            stoppedNanos += took;
        }
        c.state = LockCpu.RUNNING;
    }

    int runs() {
        return runs;
    }

    long stoppedNanos() {
        return stoppedNanos;
    }

    long longestNanos() {
        return longestNanos;
    }
}
