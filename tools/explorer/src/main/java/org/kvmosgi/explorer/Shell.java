package org.kvmosgi.explorer;

/** Runs one shell command line on a platform. */
public interface Shell {
    /** What a command line did: its status, its output, and whether it threw (a bug, not a CommandFailure). */
    record Result(int status, String out, String err, boolean threw) {
        public boolean ok() {
            return status == 0;
        }
    }

    Result run(String line);
}
