package org.kvmosgi.kernel.module;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * nr_threads and max_threads (kernel/fork.c) for the model's kernel threads: copy_process
 * refuses a new task with -EAGAIN once nr_threads reaches threads-max, so kthread_run
 * fails instead of the machine running out of tasks.
 *
 * <p>Linux sizes threads-max from RAM ({@code set_max_threads}: a thread's stack may take
 * at most an eighth of memory, 131072 threads on 16 GiB). The model's kernel threads are
 * Java platform threads, each with a native stack (1 MiB reserved by default) and a task of
 * the host's own: at Linux's figure a module would exhaust the host's process limit or the
 * JVM's native memory first, and the JVM would be left unable to start any thread
 * (OutOfMemoryError), wedged. {@value #THREADS_MAX} is what a JVM on a small host starts
 * in about a second and far below those limits; /proc/sys/kernel/threads-max shows it.
 */
public final class KThreads {
    /** The model's threads-max (/proc/sys/kernel/threads-max). */
    public static final int THREADS_MAX = 4096;
    private final AtomicInteger nrThreads = new AtomicInteger();

    /** nr_threads: the kernel threads running. */
    public int count() {
        return nrThreads.get();
    }

    /** copy_process's check: takes a task slot, or false when threads-max is reached (-EAGAIN). */
    boolean reserve() {
        for (;;) {
            int n = nrThreads.get();
            if (n >= THREADS_MAX) {
                return false;
            }
            if (nrThreads.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** release_task: the slot of a thread that ended (or never started). */
    void release() {
        nrThreads.decrementAndGet();
    }
}
