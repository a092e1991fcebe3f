package org.kvmosgi.kernel.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.ForwardingSyscalls;
import org.kvmosgi.kernel.api.syscall.Syscalls;

/**
 * A kernel's system calls with the ones that load and unload modules written down, as
 * strace shows what a tool asked the kernel for: {@code finit_module PATH 'PARAMS'} and
 * {@code delete_module NAME FLAGS} (octal), in the order they were made, whatever the kernel
 * answered. Every call goes to the kernel's own table unchanged; a test asserts what a tool
 * did and did not ask for.
 */
public final class RecordedSyscalls extends ForwardingSyscalls {
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    public RecordedSyscalls(Syscalls kernel) {
        super(kernel);
    }

    /** The module calls made since the last {@link #clear}, oldest first. */
    public List<String> calls() {
        return List.copyOf(calls);
    }

    public void clear() {
        calls.clear();
    }

    @Override
    public void finitModule(String path, String params, int flags) throws ErrnoException {
        calls.add("finit_module " + path + " '" + params + "'");
        kernel.finitModule(path, params, flags);
    }

    @Override
    public void deleteModule(String name, int flags) throws ErrnoException {
        calls.add("delete_module " + name + " " + Integer.toOctalString(flags));
        kernel.deleteModule(name, flags);
    }
}
