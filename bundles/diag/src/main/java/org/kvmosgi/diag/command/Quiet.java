package org.kvmosgi.diag.command;

import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;

/** Reads and writes that must not fail a component's activation: errors are the kernel's refusal, nothing more. */
final class Quiet {
    private Quiet() {}

    static String read(Syscalls sys, String path) {
        try {
            return sys.read(path);
        } catch (ErrnoException e) {
            return "";
        }
    }

    static boolean write(Syscalls sys, String path, String value) {
        try {
            sys.write(path, value);
            return true;
        } catch (ErrnoException e) {
            return false;
        }
    }
}
