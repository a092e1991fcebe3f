package org.kvmosgi.kmod.systemd;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kmod.FakeSyscalls;
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
        FakeSyscalls sys = new FakeSyscalls();
        sys.cmdline = "modules_load=first";
        sys.file("/etc/modules-load.d/b.conf", "from-etc-b\n");
        sys.file("/usr/lib/modules-load.d/b.conf", "hidden\n");
        sys.file("/usr/lib/modules-load.d/a.conf", "from-usr-a\n");
        sys.file("/etc/modules-load.d/c.txt", "not-a-conf\n");
        assertEquals(List.of("first", "from-usr-a", "from-etc-b"), ModulesLoad.modules(sys));
    }

    @Test
    public void loadsWithTheBlacklistAndReportsLikeSystemd() throws Exception {
        FakeSyscalls sys = new FakeSyscalls();
        sys.module("kernel/mod_a.ko", FakeSyscalls.modinfo("mod_a", List.of("a_fn"), List.of(), List.of(), null));
        sys.module("kernel/mod-b.ko", FakeSyscalls.modinfo("mod_b", List.of(), List.of("a_fn"), List.of(), null));
        sys.module("kernel/mod_c.ko", FakeSyscalls.modinfo("mod_c", List.of(), List.of(), List.of(), null));
        sys.file("/etc/modprobe.d/bl.conf", "blacklist mod_c\n");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        new org.kvmosgi.kmod.tool.DepmodTool(sys, quiet, quiet).depmodAndReport(FakeSyscalls.RELEASE);
        List<String> report = new ArrayList<>();
        Modprobe.ModulesLoadLog log = (prio, message) -> report.add(prio + " " + message);
        assertEquals(0, new Modprobe(sys, quiet, quiet).modulesLoad("mod-b", log));
        assertEquals(0, new Modprobe(sys, quiet, quiet).modulesLoad("mod_b", log));
        assertEquals(0, new Modprobe(sys, quiet, quiet).modulesLoad("mod_c", log));
        assertEquals(Errno.ENOENT.neg(), new Modprobe(sys, quiet, quiet).modulesLoad("nosuch", log));
        sys.failInit.put("mod_c", Errno.EIO.value());
        sys.file("/etc/modprobe.d/bl.conf", "");
        assertEquals(Errno.EIO.neg(), new Modprobe(sys, quiet, quiet).modulesLoad("mod_c", log));
        assertEquals(List.of(
                Log.LOG_INFO + " Inserted module 'mod_b'",
                Log.LOG_DEBUG + " Module 'mod_b' is already loaded",
                Log.LOG_INFO + " Module 'mod_c' is deny-listed (by kmod)",
                Log.LOG_ERR + " Failed to find module 'nosuch'",
                Log.LOG_ERR + " Failed to insert module 'mod_c': Input/output error"), report);
        assertTrue(sys.loaded.containsKey("mod_a"));
    }
}
