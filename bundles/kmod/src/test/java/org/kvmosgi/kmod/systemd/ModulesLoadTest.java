package org.kvmosgi.kmod.systemd;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.kvmosgi.kernel.testkit.Hosts;
import org.kvmosgi.kernel.testkit.TestKernel;
import org.kvmosgi.kmod.TestModules;
import org.kvmosgi.kmod.lib.Log;
import org.kvmosgi.kmod.tool.Modprobe;

public class ModulesLoadTest {
    @Test
    public void fileFormat() {
        assertEquals(List.of("kvm", "kvm_intel", "vhost-net"),
                ModulesLoad.parse("# comment\n; also a comment\n\n  kvm  \nkvm_intel\nvhost-net\n"));
    }

    @Test
    public void kernelCommandLine() {
        assertEquals(List.of("a", "b", "c"),
                ModulesLoad.cmdlineModules("root=/dev/vda modules_load=a,b rd.modules_load=c quiet\n"));
    }

    @Test
    public void filesInNameOrderEarlierDirectoriesWin() throws Exception {
        TestKernel k = TestKernel.builder(Hosts.profile("intel")).cmdline("modules_load=first").build();
        Syscalls sys = k.syscalls();
        k.file("/etc/modules-load.d/b.conf", "from-etc-b\n");
        k.file("/usr/lib/modules-load.d/b.conf", "hidden\n");
        k.file("/usr/lib/modules-load.d/a.conf", "from-usr-a\n");
        k.file("/etc/modules-load.d/c.txt", "not-a-conf\n");
        assertEquals(List.of("first", "from-usr-a", "from-etc-b"), ModulesLoad.modules(sys));
    }

    @Test
    public void loadsWithTheBlacklistAndReportsLikeSystemd() throws Exception {
        TestKernel k = new TestKernel(Hosts.profile("intel"));
        Syscalls sys = k.syscalls();
        String dir = "/lib/modules/" + TestKernel.RELEASE + "/kernel/";
        k.moduleFile(dir + "mod_a.ko", TestModules.module("mod_a", TestModules.AFn.class).exports("a_fn"));
        k.moduleFile(dir + "mod-b.ko", TestModules.module("mod_b", TestModules.Plain.class).imports("a_fn"));
        k.moduleFile(dir + "mod_c.ko", TestModules.module("mod_c", TestModules.Plain.class));
        k.file("/etc/modprobe.d/bl.conf", "blacklist mod_c\n");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        new org.kvmosgi.kmod.tool.DepmodTool(sys, quiet, quiet).depmodAndReport(TestKernel.RELEASE);
        List<String> report = new ArrayList<>();
        Modprobe.ModulesLoadLog log = (prio, message) -> report.add(prio + " " + message);
        assertEquals(0, new Modprobe(sys, quiet, quiet).modulesLoad("mod-b", log));
        assertEquals(0, new Modprobe(sys, quiet, quiet).modulesLoad("mod_b", log));
        assertEquals(0, new Modprobe(sys, quiet, quiet).modulesLoad("mod_c", log));
        assertEquals(Errno.ENOENT.neg(), new Modprobe(sys, quiet, quiet).modulesLoad("nosuch", log));
        k.inject("mod_c:init", Errno.EIO.neg());
        k.file("/etc/modprobe.d/bl.conf", "");
        assertEquals(Errno.EIO.neg(), new Modprobe(sys, quiet, quiet).modulesLoad("mod_c", log));
        assertEquals(List.of(
                Log.LOG_INFO + " Inserted module 'mod_b'",
                Log.LOG_DEBUG + " Module 'mod_b' is already loaded",
                Log.LOG_INFO + " Module 'mod_c' is deny-listed (by kmod)",
                Log.LOG_ERR + " Failed to find module 'nosuch'",
                Log.LOG_ERR + " Failed to insert module 'mod_c': Input/output error"), report);
        assertTrue(k.modules().contains("mod_a"));
    }
}
