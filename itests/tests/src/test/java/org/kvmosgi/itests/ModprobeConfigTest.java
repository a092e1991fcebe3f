package org.kvmosgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.testsupport.KvmOsgi;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** modprobe.d configuration (options, alias, blacklist, softdep) and modinfo aliases, honoured by modprobe. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ModprobeConfigTest extends KernelTestBase {

    @Inject
    CommandProcessor processor;

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

    private String run(String line) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                CommandSession s = processor.createSession(new ByteArrayInputStream(new byte[0]), o, o)) {
            try {
                s.execute(line);
            } catch (Exception ex) {
                assertEquals("a failing command throws CommandFailure, not " + ex, KmodCommandsTest.FAILURE,
                        exceptionName(ex));
                return "FAIL: " + ex.getMessage();
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void optionsFromConfigThenTheCommandLine() throws Exception {
        run("modprobe mod_params p_charp=fromcmd");
        assertEquals("11", param("mod_params", "p_int"));
        assertEquals("the command line comes last and wins", "fromcmd", param("mod_params", "p_charp"));
    }

    @Test
    public void aliasesFromConfigAndFromModinfo() throws Exception {
        run("modprobe itest-chain");
        assertEquals(List.of("mod_chain_b", "mod_chain_a"), loadedNames());
        run("modprobe fixture:exporter");
        assertEquals("live", initstate("mod_exporter"));
    }

    @Test
    public void blacklistHidesAliasesButNotTheNameUnlessDashB() throws Exception {
        String r = run("modprobe itest-dup");
        assertEquals("a blacklisted module is not loaded through an alias: " + r, List.of(), loadedNames());
        assertEquals("", run("modprobe -b mod_dup"));
        assertEquals("-b applies the blacklist to the name too", List.of(), loadedNames());
        run("modprobe mod_dup");
        assertEquals(List.of("mod_dup"), loadedNames());
    }

    @Test
    public void softdepsLoadBeforeAndAfter() throws Exception {
        run("modprobe mod_positive");
        List<String> log = dmesg();
        int a = log.indexOf("mod_chain_a: init");
        int p = log.indexOf("mod_positive: init");
        int perm = log.indexOf("mod_permanent: init");
        assertTrue("pre: before, post: after\n" + String.join("\n", log), a >= 0 && a < p && p < perm);
        // mod_permanent stays (no exit): remove it forced so the cleanup has nothing permanent left
        assertEquals(0, rmmodErrno("mod_permanent", org.kvmosgi.kernel.api.syscall.Syscalls.O_NONBLOCK
                | org.kvmosgi.kernel.api.syscall.Syscalls.O_TRUNC));
    }

    @Test
    public void softdepLoopEndsWithBothLoaded() throws Exception {
        assertEquals("", run("modprobe mod_chardev"));
        assertEquals(List.of("mod_chardev", "mod_formod"), loadedNames().stream().sorted().toList());
    }
}
