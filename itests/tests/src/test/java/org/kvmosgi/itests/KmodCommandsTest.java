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

/**
 * The kmod tools as users type them, through a Gogo session of our own (no terminal):
 * lsmod's table, modprobe's order, dry run and --show-depends, rmmod's and modprobe's
 * messages, modprobe -r.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KmodCommandsTest extends KernelTestBase {
    static final String FAILURE = "org.kvmosgi.console.api.CommandFailure";

    @Inject
    CommandProcessor processor;

    @Configuration
    public Option[] config() {
        return options(KvmOsgi.platform(), KvmOsgi.host("intel"), KvmOsgi.feature("fixtures"));
    }

    /** What a command printed on stdout; a failing command's CommandFailure message comes back as "FAIL: msg". */
    private String run(String line) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
                CommandSession s = processor.createSession(new ByteArrayInputStream(new byte[0]), o, e)) {
            try {
                s.execute(line);
            } catch (Exception ex) {
                assertEquals("a failing command throws CommandFailure, not " + ex, FAILURE, exceptionName(ex));
                return "FAIL: " + ex.getMessage();
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private String row(String name) throws Exception {
        String[] m = procModule(name);
        StringBuilder sb = new StringBuilder(String.format("%-19s %8d  %d", name, Long.parseLong(m[1]),
                Integer.parseInt(m[2])));
        if (!m[3].equals("-")) {
            sb.append(' ').append(m[3].substring(0, m[3].length() - 1));
        }
        return sb.toString();
    }

    private String rel() {
        return "/lib/modules/" + sys.kernelRelease();
    }

    @Test
    public void lsmodPrintsKmodsTable() throws Exception {
        insmod("mod_exporter");
        insmod("mod_importer");
        String expected = "Module                  Size  Used by\n" + row("mod_importer") + "\n" + row("mod_exporter") + "\n";
        assertEquals(expected, run("lsmod"));
        assertTrue(row("mod_exporter"), row("mod_exporter").matches("mod_exporter +\\d+  1 mod_importer"));
        assertTrue(row("mod_importer"), row("mod_importer").matches("mod_importer +\\d+  0"));
    }

    @Test
    public void modprobeLoadsDependenciesDeepestFirst() throws Exception {
        assertEquals("", run("modprobe mod_chain_c"));
        assertEquals(List.of("mod_chain_c", "mod_chain_b", "mod_chain_a"), loadedNames());
        List<String> log = dmesg();
        int a = log.indexOf("mod_chain_a: init");
        int b = log.indexOf("mod_chain_b: init");
        int c = log.indexOf("mod_chain_c: init");
        assertTrue(String.join("\n", log), a >= 0 && a < b && b < c);
        assertEquals("already loaded: success, nothing done", "", run("modprobe mod_chain_c"));
        assertEquals(1, dmesgCount("mod_chain_c: init"));
        assertEquals("modprobe: ERROR: could not insert 'mod_chain_c': Module already in kernel",
                run("modprobe --first-time mod_chain_c").substring("FAIL: ".length()));
    }

    @Test
    public void showDependsAndDryRunPrintInsmodLinesAndLoadNothing() throws Exception {
        String expected = "insmod " + ko("mod_chain_a") + " \ninsmod " + ko("mod_chain_b") + " \ninsmod "
                + ko("mod_chain_c") + " \n";
        assertEquals(expected, run("modprobe --show-depends mod_chain_c"));
        assertEquals(List.of(), loadedNames());
        assertEquals("modprobe -n alone prints nothing", "", run("modprobe -n mod_chain_c"));
        assertEquals(expected, run("modprobe -n -v mod_chain_c"));
        assertEquals(List.of(), loadedNames());
        assertTrue(ko("mod_chain_a") + " is absolute, under " + rel(), ko("mod_chain_a").startsWith(rel() + "/"));
    }

    @Test
    public void modprobeMissingModuleIsFatal() throws Exception {
        assertEquals("FAIL: modprobe: FATAL: Module mod_nope not found in directory " + rel(), run("modprobe mod_nope"));
    }

    @Test
    public void modprobeFailureKeepsWhatItAlreadyInserted() throws Exception {
        assertEquals("FAIL: modprobe: ERROR: could not insert 'mod_initfail': Cannot allocate memory",
                run("modprobe mod_initfail"));
        assertEquals("no rollback: the dependency stays", List.of("mod_exporter"), loadedNames());
    }

    @Test
    public void modprobePassesParametersToTheTarget() throws Exception {
        run("modprobe mod_params p_int=9 p_charp=x");
        assertEquals("9", param("mod_params", "p_int"));
        assertEquals("x", param("mod_params", "p_charp"));
    }

    @Test
    public void rmmodMessages() throws Exception {
        assertEquals("FAIL: rmmod: ERROR: Module mod_exporter is not currently loaded", run("rmmod mod_exporter"));
        run("modprobe mod_chain_c");
        assertEquals("FAIL: rmmod: ERROR: Module mod_chain_a is in use by: mod_chain_b", run("rmmod mod_chain_a"));
        assertEquals("", run("rmmod mod_chain_c"));
        assertEquals(List.of("mod_chain_b", "mod_chain_a"), loadedNames());
    }

    @Test
    public void modprobeRemoveTakesUnusedDependenciesAlong() throws Exception {
        run("modprobe mod_chain_c");
        insmod("mod_exporter");
        assertEquals("", run("modprobe -r mod_chain_c"));
        // kmod's rmmod_do_module step 4 visits c's dependencies once, in libkmod's list order
        // (modules.dep "c: b a" prepended: a, then b), removing those whose refcnt is 0 at
        // their turn: a is still held by b then, so only b goes and a stays loaded
        assertEquals(List.of("mod_exporter", "mod_chain_a"), loadedNames());
        assertEquals("mod_chain_a goes with a modprobe -r of its own", "", run("modprobe -r mod_chain_a"));
        assertEquals(List.of("mod_exporter"), loadedNames());
        assertEquals("not loaded: nothing to do", "", run("modprobe -r mod_chain_c"));
    }

    @Test
    public void modprobeRemoveOfAUsedModuleFails() throws Exception {
        insmod("mod_exporter");
        insmod("mod_importer");
        assertEquals("FAIL: modprobe: FATAL: Module mod_exporter is in use.", run("modprobe -r mod_exporter"));
        assertEquals(List.of("mod_importer", "mod_exporter"), loadedNames());
    }

    @Test
    public void insmodReportsTheKernelsErrno() throws Exception {
        String path = ko("mod_importer");
        assertEquals("FAIL: insmod: ERROR: could not insert module " + path + ": Unknown symbol in module",
                run("insmod " + path));
        insmod("mod_exporter");
        assertEquals("", run("insmod " + path));
        // kmod's insmod maps only ENOEXEC, ENOENT, ESRCH and EINVAL to its own texts (mod_strerror);
        // EEXIST is strerror's. "Module already in kernel" is modprobe's text.
        assertEquals("FAIL: insmod: ERROR: could not insert module " + path + ": File exists",
                run("insmod " + path));
    }

    @Test
    public void dashesAndUnderscoresAreTheSame() throws Exception {
        run("modprobe mod-chain-a");
        assertEquals(List.of("mod_chain_a"), loadedNames());
        assertEquals("", run("rmmod mod-chain-a"));
        assertEquals(List.of(), loadedNames());
    }

    @Test
    public void modinfoReadsTheModuleWithoutLoadingIt() throws Exception {
        List<String> lines = List.of(run("modinfo mod_exporter").split("\n"));
        assertTrue(String.join("\n", lines), lines.contains("filename:       " + ko("mod_exporter")));
        assertTrue(String.join("\n", lines), lines.contains("license:        GPL"));
        assertTrue(String.join("\n", lines), lines.contains("description:    exports two symbols"));
        assertTrue(String.join("\n", lines), lines.contains("alias:          fixture:exporter"));
        assertTrue(String.join("\n", lines), lines.contains("parm:           base:added to every sum (int)"));
        assertEquals("nothing loaded", List.of(), loadedNames());
        assertEquals("FAIL: modinfo: ERROR: Module mod_nope not found.", run("modinfo mod_nope"));
    }

    @Test
    public void dmesgCommandPrintsTheRingBuffer() throws Exception {
        insmod("mod_exporter");
        String out = run("dmesg");
        assertTrue(out, out.matches("(?s).*\\[ *\\d+\\.\\d{6}\\] mod_exporter: init\n.*"));
        run("dmesg -c");
        assertEquals("dmesg -c cleared it", "", run("dmesg"));
    }

    @Test
    public void depmodWritesDependenciesAndSymbols() throws Exception {
        sys.write(rel() + "/modules.dep", "");
        assertEquals("", run("depmod"));
        String base = rel() + "/";
        String a = ko("mod_chain_a").substring(base.length());
        String b = ko("mod_chain_b").substring(base.length());
        String c = ko("mod_chain_c").substring(base.length());
        List<String> dep = List.of(sys.read(rel() + "/modules.dep").split("\n"));
        assertTrue(String.join("\n", dep), dep.contains(c + ": " + b + " " + a));
        assertTrue(String.join("\n", dep), dep.contains(b + ": " + a));
        assertTrue(String.join("\n", dep), dep.contains(a + ":"));
        List<String> symbols = List.of(sys.read(rel() + "/modules.symbols").split("\n"));
        assertTrue(String.join("\n", symbols), symbols.contains("alias symbol:chain_a_fn mod_chain_a"));
        assertTrue(String.join("\n", symbols), symbols.contains("alias symbol:formod_sym mod_formod"));
    }

    @Test
    public void felixStartAndStopAreInsmodAndRmmod() throws Exception {
        String uri = sys.hostPath(ko("mod_exporter")).toUri().toString();
        run("felix:start " + uri);
        assertEquals("live", initstate("mod_exporter"));
        assertTrue(run("lsmod").contains("\nmod_exporter "));
        long id = -1;
        for (org.osgi.framework.Bundle b : context.getBundles()) {
            if (uri.equals(b.getLocation())) {
                id = b.getBundleId();
            }
        }
        assertEquals("FAIL: insmod: ERROR: could not insert module " + ko("mod_exporter") + ": File exists",
                run("insmod " + ko("mod_exporter")));
        run("felix:stop " + id);
        assertEquals(List.of(), loadedNames());
        assertEquals("FAIL: rmmod: ERROR: Module mod_exporter is not currently loaded", run("rmmod mod_exporter"));
    }
}
