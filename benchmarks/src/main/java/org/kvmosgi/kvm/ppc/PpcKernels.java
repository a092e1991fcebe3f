package org.kvmosgi.kvm.ppc;

import java.nio.file.Path;
import java.util.List;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.ErrnoException;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kvm.api.dispatch.Dispatch;

/**
 * kvm, kvm_hv and kvm_pr loaded the way kvm-ppc's unit tests load them (their
 * {@code CoreTest.Split} over their {@code FakeKernel}), with the system calls kvmtool's
 * VMM needs on top. It lives in the tests' package because their harness is
 * package-private; it is on the class path with kvm-ppc's test-jar, never in a bundle.
 */
public final class PpcKernels {
    private PpcKernels() {}

    /**
     * A POWER8 host (HV mode, HPT: kvm_pr refuses a radix POWER9) with kvm loaded with
     * {@code kvm.dispatch=style} and kvm_hv and kvm_pr: both VM types can be created.
     */
    public static Syscalls hvAndPr(Dispatch style) {
        CoreTest.Split s = new CoreTest.Split("power8", style);
        check("kvm_hv", s.loadHv());
        check("kvm_pr", s.loadPr());
        return syscalls(s.k);
    }

    /** The same host with kvm and only kvm_hv ({@code hv}) or only kvm_pr: one implementation's class is ever loaded. */
    public static Syscalls only(boolean hv, Dispatch style) {
        CoreTest.Split s = new CoreTest.Split("power8", style);
        if (hv) {
            check("kvm_hv", s.loadHv());
        } else {
            check("kvm_pr", s.loadPr());
        }
        return syscalls(s.k);
    }

    private static void check(String what, int r) {
        if (r != 0) {
            throw new IllegalStateException(what + " failed: " + r);
        }
    }

    private static Syscalls syscalls(FakeKernel k) {
        return new Syscalls() {
            @Override
            public int open(String path) throws ErrnoException {
                return ErrnoException.check(k.open(path.substring("/dev/".length())));
            }

            @Override
            public long ioctl(int fd, int cmd, Object arg) throws ErrnoException {
                long r = k.ioctl(fd, cmd, arg);
                if (r < 0) {
                    throw new ErrnoException((int) -r);
                }
                return r;
            }

            @Override
            public void close(int fd) {
                k.close(fd);
            }

            @Override
            public void finitModule(String path, String params, int flags) throws ErrnoException {
                throw new ErrnoException(Errno.ENOSYS);
            }

            @Override
            public void deleteModule(String name, int flags) throws ErrnoException {
                throw new ErrnoException(Errno.ENOSYS);
            }

            @Override
            public String read(String path) throws ErrnoException {
                throw new ErrnoException(Errno.ENOSYS);
            }

            @Override
            public void write(String path, String content) throws ErrnoException {
                throw new ErrnoException(Errno.ENOSYS);
            }

            @Override
            public List<String> list(String path) throws ErrnoException {
                throw new ErrnoException(Errno.ENOSYS);
            }

            @Override
            public Path hostPath(String path) {
                return null;
            }

            @Override
            public String kernelRelease() {
                return "6.13.0-kvmosgi";
            }

            @Override
            public List<String> syslog(boolean clear) {
                return List.of();
            }
        };
    }
}
