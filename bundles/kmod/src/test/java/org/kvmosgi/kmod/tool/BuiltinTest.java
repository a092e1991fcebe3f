package org.kvmosgi.kmod.tool;

import static org.junit.Assert.assertEquals;

import static org.kvmosgi.kmod.TestModules.module;

import java.util.List;
import org.junit.Before;
import org.junit.Test;
import org.kvmosgi.kernel.testkit.Hosts;
import org.kvmosgi.kernel.testkit.RecordedSyscalls;
import org.kvmosgi.kernel.testkit.TestKernel;
import org.kvmosgi.kmod.Run;
import org.kvmosgi.kmod.TestModules;

/** kmod's answers for a module listed in modules.builtin (kvm here), with and without modules.builtin.modinfo. */
public class BuiltinTest {
    static final String DIR = "/lib/modules/" + TestKernel.RELEASE;
    final TestKernel k = new TestKernel(Hosts.profile("intel"));
    final RecordedSyscalls sys = new RecordedSyscalls(k.syscalls());

    @Before
    public void tree() throws Exception {
        k.moduleFile(DIR + "/kernel/arch/x86/kvm/kvm-amd.ko", module("kvm_amd", TestModules.Plain.class)
                .imports("kvm_init"));
        k.file(DIR + "/modules.builtin", "kernel/arch/x86/kvm/kvm.ko\n");
        assertEquals(null, Run.of((o, e, i) -> new DepmodTool(sys, o, e).main()).failure);
    }

    private Run modprobe(String... args) {
        return Run.of((o, e, i) -> new Modprobe(sys, o, e).main(args));
    }

    private Run modinfo(String... args) {
        return Run.of((o, e, i) -> new Modinfo(sys, o, e).main(args));
    }

    @Test
    public void modprobeOfABuiltinSucceedsAndDoesNothing() {
        Run r = modprobe("kvm");
        assertEquals("", r.out + r.stderr());
        assertEquals(0, r.status);
        assertEquals(List.of(), sys.calls());
        Run first = modprobe("--first-time", "kvm");
        assertEquals("modprobe: ERROR: could not insert 'kvm': Module already in kernel\n", first.stderr());
        assertEquals(1, first.status);
        assertEquals("builtin kvm\n", modprobe("--show-depends", "kvm").out);
    }

    @Test
    public void removingABuiltinIsRefused() {
        Run r = modprobe("-r", "kvm");
        assertEquals("modprobe: FATAL: Module kvm is builtin.\n", r.stderr());
        assertEquals(1, r.status);
        Run quiet = modprobe("-q", "-r", "kvm");
        assertEquals("", quiet.stderr());
        assertEquals(1, quiet.status);
        Run rmmod = Run.of((o, e, i) -> new Rmmod(sys, o, e).main("kvm"));
        assertEquals("rmmod: ERROR: Module kvm is builtin.\n", rmmod.stderr());
        assertEquals(1, rmmod.status);
    }

    @Test
    public void modinfoOfABuiltinWithoutModinfoFileGivesNameAndFilename() {
        Run r = modinfo("kvm");
        assertEquals("name:           kvm\nfilename:       (builtin)\n", r.out);
        assertEquals(0, r.status);
        assertEquals("(builtin)\n", modinfo("-F", "filename", "kvm").out);
        assertEquals("modinfo: ERROR: Module kvm_intel not found.\n", modinfo("kvm_intel").stderr());
    }

    @Test
    public void modinfoOfABuiltinListsItsModulesBuiltinModinfoStrings() throws Exception {
        k.file(DIR + "/modules.builtin.modinfo", "kvm.file=arch/x86/kvm/kvm\0kvm.license=GPL\0"
                + "kvm.parm=halt_poll_ns:max ns to poll\0kvm.parmtype=halt_poll_ns:uint\0kvm.parmtype=nx_huge_pages:charp\0"
                + "other.license=GPL\0");
        assertEquals("name:           kvm\nfilename:       (builtin)\nfile:           arch/x86/kvm/kvm\n"
                + "license:        GPL\nparm:           halt_poll_ns:max ns to poll (uint)\n"
                + "parm:           nx_huge_pages:charp\n", modinfo("kvm").out);
        assertEquals("GPL\n", modinfo("-F", "license", "kvm").out);
        assertEquals("halt_poll_ns:max ns to poll (uint)\nnx_huge_pages: (charp)\n", modinfo("-p", "kvm").out);
    }
}
