package org.kvmosgi.kernel.api;

/** A kernel thread a module started with kthread_run; the module must kthread_stop it. */
public interface KThread {
    /** The name ps shows it by, without the brackets. */
    String name();

    /** kthread_should_stop(): the thread function's loop condition. */
    boolean shouldStop();

    /** Whether the thread function is still running. */
    boolean running();

    /**
     * kthread_stop: asks the thread to stop, waits for its function to return and gives
     * its return value; -EINTR if it was stopped already.
     */
    int stop();
}
