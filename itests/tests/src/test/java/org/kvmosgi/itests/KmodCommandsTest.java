package org.kvmosgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;
import org.kvmosgi.testsupport.kit.Kernel;

import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.testsupport.KvmOsgi;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The kmod tools as users type them, through test-support's Shell (a Gogo session, no terminal):
 * lsmod's table, modprobe's order, dry run and --show-depends, rmmod's and modprobe's
 * messages, modprobe -r.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KmodCommandsTest extends KernelTestBase {
    @Configuration
    public Option[] config() {
        return options(KvmOsgi.platform(), KvmOsgi.host("intel"), KvmOsgi.feature("fixtures"));
    }

    private String row(String name) throws Exception {
        Kernel.Module m = kernel.module(name);
        StringBuilder sb = new StringBuilder(String.format("%-19s %8d  %d", name, m.size(), m.refcnt()));
        if (!m.usedBy().equals("-")) {
            sb.append(' ').append(m.usedBy().substring(0, m.usedBy().length() - 1));
        }
        return sb.toString();
    }

    private String rel() {
        return "/lib/modules/" + sys.kernelRelease();
    }

    @Test
    public void lsmodPrintsKmodsTable() throws Exception {
        kernel.insmod("mod_exporter");
        kernel.insmod("mod_importer");
        String expected = "Module                  Size  Used by\n" + row("mod_importer") + "\n" + row("mod_exporter") + "\n";
        assertEquals(expected, sh.run("lsmod").outOrFailure());
        assertTrue(row("mod_exporter"), row("mod_exporter").matches("mod_exporter +\\d+  1 mod_importer"));
        assertTrue(row("mod_importer"), row("mod_importer").matches("mod_importer +\\d+  0"));
    }

    @Test
    public void modprobeLoadsDependenciesDeepestFirst() throws Exception {
        assertEquals("", sh.run("modprobe mod_chain_c").outOrFailure());
        assertEquals(List.of("mod_chain_c", "mod_chain_b", "mod_chain_a"), kernel.loaded());
        List<String> log = kernel.dmesg();
        int a = log.indexOf("mod_chain_a: init");
        int b = log.indexOf("mod_chain_b: init");
        int c = log.indexOf("mod_chain_c: init");
        assertTrue(String.join("\n", log), a >= 0 && a < b && b < c);
        assertEquals("already loaded: success, nothing done", "", sh.run("modprobe mod_chain_c").outOrFailure());
        assertEquals(1, dmesgCount("mod_chain_c: init"));
        assertEquals("modprobe: ERROR: could not insert 'mod_chain_c': Module already in kernel",
                sh.run("modprobe --first-time mod_chain_c").outOrFailure().substring("FAIL: ".length()));
    }

    @Test
    public void showDependsAndDryRunPrintInsmodLinesAndLoadNothing() throws Exception {
        String expected = "insmod " + kernel.ko("mod_chain_a") + " \ninsmod " + kernel.ko("mod_chain_b") + " \ninsmod "
                + kernel.ko("mod_chain_c") + " \n";
        assertEquals(expected, sh.run("modprobe --show-depends mod_chain_c").outOrFailure());
        assertEquals(List.of(), kernel.loaded());
        assertEquals("modprobe -n alone prints nothing", "", sh.run("modprobe -n mod_chain_c").outOrFailure());
        assertEquals(expected, sh.run("modprobe -n -v mod_chain_c").outOrFailure());
        assertEquals(List.of(), kernel.loaded());
        assertTrue(kernel.ko("mod_chain_a") + " is absolute, under " + rel(), kernel.ko("mod_chain_a").startsWith(rel() + "/"));
    }

    @Test
    public void modprobeMissingModuleIsFatal() throws Exception {
        assertEquals("FAIL: modprobe: FATAL: Module mod_nope not found in directory " + rel(), sh.run("modprobe mod_nope").outOrFailure());
    }

    @Test
    public void modprobeFailureKeepsWhatItAlreadyInserted() throws Exception {
        assertEquals("FAIL: modprobe: ERROR: could not insert 'mod_initfail': Cannot allocate memory",
                sh.run("modprobe mod_initfail").outOrFailure());
        assertEquals("no rollback: the dependency stays", List.of("mod_exporter"), kernel.loaded());
    }

    @Test
    public void modprobePassesParametersToTheTarget() throws Exception {
        sh.run("modprobe mod_params p_int=9 p_charp=x");
        assertEquals("9", kernel.param("mod_params", "p_int"));
        assertEquals("x", kernel.param("mod_params", "p_charp"));
    }

    @Test
    public void rmmodMessages() throws Exception {
        assertEquals("FAIL: rmmod: ERROR: Module mod_exporter is not currently loaded", sh.run("rmmod mod_exporter").outOrFailure());
        sh.run("modprobe mod_chain_c");
        assertEquals("FAIL: rmmod: ERROR: Module mod_chain_a is in use by: mod_chain_b", sh.run("rmmod mod_chain_a").outOrFailure());
        assertEquals("", sh.run("rmmod mod_chain_c").outOrFailure());
        assertEquals(List.of("mod_chain_b", "mod_chain_a"), kernel.loaded());
    }

    @Test
    public void modprobeRemoveTakesUnusedDependenciesAlong() throws Exception {
        sh.run("modprobe mod_chain_c");
        kernel.insmod("mod_exporter");
        assertEquals("", sh.run("modprobe -r mod_chain_c").outOrFailure());
        // kmod's rmmod_do_module step 4 visits c's dependencies once, in libkmod's list order
        // (modules.dep "c: b a" prepended: a, then b), removing those whose refcnt is 0 at
        // their turn: a is still held by b then, so only b goes and a stays loaded
        assertEquals(List.of("mod_exporter", "mod_chain_a"), kernel.loaded());
        assertEquals("mod_chain_a goes with a modprobe -r of its own", "", sh.run("modprobe -r mod_chain_a").outOrFailure());
        assertEquals(List.of("mod_exporter"), kernel.loaded());
        assertEquals("not loaded: nothing to do", "", sh.run("modprobe -r mod_chain_c").outOrFailure());
    }

    @Test
    public void modprobeRemoveOfAUsedModuleFails() throws Exception {
        kernel.insmod("mod_exporter");
        kernel.insmod("mod_importer");
        assertEquals("FAIL: modprobe: FATAL: Module mod_exporter is in use.", sh.run("modprobe -r mod_exporter").outOrFailure());
        assertEquals(List.of("mod_importer", "mod_exporter"), kernel.loaded());
    }

    @Test
    public void insmodReportsTheKernelsErrno() throws Exception {
        String path = kernel.ko("mod_importer");
        assertEquals("FAIL: insmod: ERROR: could not insert module " + path + ": Unknown symbol in module",
                sh.run("insmod " + path).outOrFailure());
        kernel.insmod("mod_exporter");
        assertEquals("", sh.run("insmod " + path).outOrFailure());
        // kmod's insmod maps only ENOEXEC, ENOENT, ESRCH and EINVAL to its own texts (mod_strerror);
        // EEXIST is strerror's. "Module already in kernel" is modprobe's text.
        assertEquals("FAIL: insmod: ERROR: could not insert module " + path + ": File exists",
                sh.run("insmod " + path).outOrFailure());
    }

    @Test
    public void dashesAndUnderscoresAreTheSame() throws Exception {
        sh.run("modprobe mod-chain-a");
        assertEquals(List.of("mod_chain_a"), kernel.loaded());
        assertEquals("", sh.run("rmmod mod-chain-a").outOrFailure());
        assertEquals(List.of(), kernel.loaded());
    }

    @Test
    public void modinfoReadsTheModuleWithoutLoadingIt() throws Exception {
        List<String> lines = List.of(sh.run("modinfo mod_exporter").outOrFailure().split("\n"));
        assertTrue(String.join("\n", lines), lines.contains("filename:       " + kernel.ko("mod_exporter")));
        assertTrue(String.join("\n", lines), lines.contains("license:        GPL"));
        assertTrue(String.join("\n", lines), lines.contains("description:    exports two symbols"));
        assertTrue(String.join("\n", lines), lines.contains("alias:          fixture:exporter"));
        assertTrue(String.join("\n", lines), lines.contains("parm:           base:added to every sum (int)"));
        assertEquals("nothing loaded", List.of(), kernel.loaded());
        assertEquals("FAIL: modinfo: ERROR: Module mod_nope not found.", sh.run("modinfo mod_nope").outOrFailure());
    }

    @Test
    public void dmesgCommandPrintsTheRingBuffer() throws Exception {
        kernel.insmod("mod_exporter");
        String out = sh.run("dmesg").outOrFailure();
        assertTrue(out, out.matches("(?s).*\\[ *\\d+\\.\\d{6}\\] mod_exporter: init\n.*"));
        sh.run("dmesg -c");
        assertEquals("dmesg -c cleared it", "", sh.run("dmesg").outOrFailure());
    }

    @Test
    public void depmodWritesDependenciesAndSymbols() throws Exception {
        sys.write(rel() + "/modules.dep", "");
        assertEquals("", sh.run("depmod").outOrFailure());
        String base = rel() + "/";
        String a = kernel.ko("mod_chain_a").substring(base.length());
        String b = kernel.ko("mod_chain_b").substring(base.length());
        String c = kernel.ko("mod_chain_c").substring(base.length());
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
        String uri = sys.hostPath(kernel.ko("mod_exporter")).toUri().toString();
        sh.run("felix:start " + uri);
        assertEquals("live", kernel.initstate("mod_exporter"));
        assertTrue(sh.run("lsmod").outOrFailure().contains("\nmod_exporter "));
        long id = -1;
        for (org.osgi.framework.Bundle b : context.getBundles()) {
            if (uri.equals(b.getLocation())) {
                id = b.getBundleId();
            }
        }
        assertEquals("FAIL: insmod: ERROR: could not insert module " + kernel.ko("mod_exporter") + ": File exists",
                sh.run("insmod " + kernel.ko("mod_exporter")).outOrFailure());
        sh.run("felix:stop " + id);
        assertEquals(List.of(), kernel.loaded());
        assertEquals("FAIL: rmmod: ERROR: Module mod_exporter is not currently loaded", sh.run("rmmod mod_exporter").outOrFailure());
    }
}
