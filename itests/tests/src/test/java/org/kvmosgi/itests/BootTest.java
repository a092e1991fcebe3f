package org.kvmosgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertDmesgInOrder;
import static org.ops4j.pax.exam.CoreOptions.options;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.testsupport.KvmOsgi;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** What test-support's options set up at boot: host profile, command line, modules-load.d. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BootTest extends KernelTestBase {

    @Configuration
    public Option[] config() {
        return options(KvmOsgi.platform(), KvmOsgi.host("amd"), KvmOsgi.cmdline("module_blacklist=mod_dup initcall_debug"),
                KvmOsgi.feature("fixtures"), KvmOsgi.load("mod_chain_b"));
    }

    @Override
    public void clearLog() {
        // keep the boot messages
    }

    @Override
    public void unloadLeftovers() {
        // the boot-loaded modules are what this class checks
    }

    @Test
    public void modulesLoadDLoadsItsModulesWithTheirDependenciesAtBoot() throws Exception {
        assertEquals("live", kernel.initstate("mod_chain_b"));
        assertEquals("live", kernel.initstate("mod_chain_a"));
        assertEquals(java.util.List.of("mod_chain_b"), kernel.holders("mod_chain_a"));
    }

    @Test
    public void initcallDebugPrintsCallingAndReturnedAroundEachModuleInitInLoadOrder() throws Exception {
        assertEquals("Y\n", sys.read("/sys/module/kernel/parameters/initcall_debug"));
        assertTrue(sys.list("/sys/module").contains("kernel"));
        java.util.List<String> debug = new java.util.ArrayList<>();
        for (String line : sys.syslog(false)) {
            String text = line.substring(line.indexOf("] ") + 2);
            if (text.startsWith("calling  mod_") || text.startsWith("initcall mod_")) {
                debug.add(text);
            }
        }
        assertEquals(String.join("\n", debug), 4, debug.size());
        assertTrue(debug.get(0), debug.get(0).matches("calling  mod_chain_a_init\\+0x0/0x1000 \\[mod_chain_a\\] @ \\d+"));
        assertTrue(debug.get(1), debug.get(1).matches(
                "initcall mod_chain_a_init\\+0x0/0x1000 \\[mod_chain_a\\] returned 0 after \\d+ usecs"));
        assertTrue(debug.get(2), debug.get(2).startsWith("calling  mod_chain_b_init+0x0/0x1000 [mod_chain_b] @ "));
        assertTrue(debug.get(3), debug.get(3).startsWith("initcall mod_chain_b_init+0x0/0x1000 [mod_chain_b] returned 0 after "));
    }

    @Test
    public void initcallDebugIsACoreParamWritableThroughSysfs() throws Exception {
        sys.syslog(true);
        try {
            sys.write("/sys/module/kernel/parameters/initcall_debug", "N\n");
            kernel.insmod("mod_exporter");
            assertTrue(kernel.dmesg().stream().noneMatch(l -> l.startsWith("calling  ")));
            sys.write("/sys/module/kernel/parameters/initcall_debug", "1");
            assertEquals(Errno.ENOMEM.value(), kernel.finitModule("mod_initfail", ""));
            assertTrue(String.join("\n", kernel.dmesg()), kernel.dmesg().stream().anyMatch(l -> l.matches(
                    "initcall mod_initfail_init\\+0x0/0x1000 \\[mod_initfail\\] returned -12 after \\d+ usecs")));
        } finally {
            sys.write("/sys/module/kernel/parameters/initcall_debug", "Y");
            kernel.rmmod("mod_exporter");
        }
    }

    @Test
    public void hostProfileIsTheOneAskedFor() throws Exception {
        String cpuinfo = sys.read("/proc/cpuinfo");
        assertTrue(cpuinfo, cpuinfo.contains("vendor_id\t: AuthenticAMD"));
        assertTrue(cpuinfo, cpuinfo.contains(" svm"));
    }

    @Test
    public void commandLineBlacklistRefusesTheModule() throws Exception {
        assertEquals("module_blacklist=mod_dup initcall_debug\n", sys.read("/proc/cmdline"));
        assertEquals(Errno.EPERM.value(), kernel.finitModule("mod_dup", ""));
        assertDmesgInOrder(kernel, "Module mod_dup is blacklisted");
    }

    @Test
    public void theIssuesHostProfilesAreDefined() throws Exception {
        java.util.Map<String, String> arch = new java.util.HashMap<>();
        for (String line : sys.read("/proc/kvmosgi/hosts").split("\n")) {
            String[] f = line.split("\t");
            assertEquals("name<TAB>arch<TAB>description: " + line, 3, f.length);
            arch.put(f[0], f[1]);
        }
        for (String x86 : java.util.List.of("intel", "amd", "intel-vmx-off")) {
            assertEquals(x86, "x86_64", arch.get(x86));
        }
        for (String ppc : java.util.List.of("power8", "power9", "power9-guest")) {
            assertEquals(ppc, "ppc64le", arch.get(ppc));
        }
    }
}
