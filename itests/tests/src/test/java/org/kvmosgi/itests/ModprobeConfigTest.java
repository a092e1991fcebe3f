package org.kvmosgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.testsupport.KvmOsgi;
import org.kvmosgi.testsupport.kit.Shell;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** modprobe.d configuration (options, alias, blacklist, softdep) and modinfo aliases, honoured by modprobe. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ModprobeConfigTest extends KernelTestBase {

    @Configuration
    public Option[] config() {
        return options(KvmOsgi.platform(), KvmOsgi.host("intel"), KvmOsgi.feature("fixtures"),
                KvmOsgi.modprobeConf("itest", String.join("\n",
                        "# written by test-support's KvmOsgi.modprobeConf",
                        "options mod_params p_int=11 p_charp=fromconf",
                        "alias itest-chain mod_chain_b",
                        "blacklist mod_dup",
                        "alias itest-dup mod_dup",
                        "softdep mod_positive pre: mod_chain_a post: mod_permanent",
                        "# a softdep loop (kmod testsuite: softdep_loop)",
                        "softdep mod_chardev pre: mod_formod",
                        "softdep mod_formod pre: mod_chardev")));
    }

    @Test
    public void optionsFromConfigThenTheCommandLine() throws Exception {
        sh.run("modprobe mod_params p_charp=fromcmd");
        assertEquals("11", kernel.param("mod_params", "p_int"));
        assertEquals("the command line comes last and wins", "fromcmd", kernel.param("mod_params", "p_charp"));
    }

    @Test
    public void aliasesFromConfigAndFromModinfo() throws Exception {
        sh.run("modprobe itest-chain");
        assertEquals(List.of("mod_chain_b", "mod_chain_a"), kernel.loaded());
        sh.run("modprobe fixture:exporter");
        assertEquals("live", kernel.initstate("mod_exporter"));
    }

    @Test
    public void blacklistHidesAliasesButNotTheNameUnlessDashB() throws Exception {
        String r = sh.run("modprobe itest-dup").toString();
        assertEquals("a blacklisted module is not loaded through an alias: " + r, List.of(), kernel.loaded());
        Shell.Result dashB = sh.run("modprobe -b mod_dup");
        assertEquals(dashB.toString(), "", dashB.out() + dashB.err());
        assertEquals("-b applies the blacklist to the name too", List.of(), kernel.loaded());
        sh.run("modprobe mod_dup");
        assertEquals(List.of("mod_dup"), kernel.loaded());
    }

    @Test
    public void softdepsLoadBeforeAndAfter() throws Exception {
        sh.run("modprobe mod_positive");
        List<String> log = kernel.dmesg();
        int a = log.indexOf("mod_chain_a: init");
        int p = log.indexOf("mod_positive: init");
        int perm = log.indexOf("mod_permanent: init");
        assertTrue("pre: before, post: after\n" + String.join("\n", log), a >= 0 && a < p && p < perm);
        // mod_permanent stays (no exit): remove it forced so the cleanup has nothing permanent left
        assertEquals(0, kernel.deleteModule("mod_permanent", org.kvmosgi.kernel.api.syscall.Syscalls.O_NONBLOCK
                | org.kvmosgi.kernel.api.syscall.Syscalls.O_TRUNC));
    }

    @Test
    public void softdepLoopEndsWithBothLoaded() throws Exception {
        Shell.Result r = sh.run("modprobe mod_chardev");
        assertEquals(r.toString(), "", r.out() + r.err());
        assertEquals(List.of("mod_chardev", "mod_formod"), kernel.loaded().stream().sorted().toList());
    }
}
