package org.kvmosgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertDmesgInOrder;
import static org.kvmosgi.testsupport.kit.KernelAssert.assertNoDmesg;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.testsupport.KvmOsgi;
import org.kvmosgi.testsupport.kit.Kernel;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;

/**
 * Which imports link: GPL-only exports, namespaces, exports for named modules, and
 * duplicate exports refused before init. Each failure leaves nothing and gives back the
 * references the failed module had already taken.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SymbolRulesTest extends KernelTestBase {

    @Configuration
    public Option[] config() {
        return options(KvmOsgi.platform(), KvmOsgi.host("intel"), KvmOsgi.feature("fixtures"));
    }

    @Test
    public void gplOnlySymbolIsUnknownToANonGplModuleWhichStillTaints() throws Exception {
        kernel.insmod("mod_exporter");
        assertEquals(Errno.ENOENT.value(), kernel.finitModule("mod_proprietary", ""));
        List<String> log = kernel.dmesg();
        assertEquals(String.join("\n", log), List.of(
                "mod_proprietary: module license 'Proprietary' taints kernel.",
                "mod_proprietary: Unknown symbol exporter_gpl_only (err -2)"),
                log.stream().filter(l -> l.startsWith("mod_proprietary:")).toList());
        assertNotEquals("TAINT_PROPRIETARY_MODULE (P) stays after the failed load", 0, kernel.tainted() & 1);
        assertGone("mod_proprietary");
        assertEquals("the reference taken for exporter_add is given back", 0, kernel.refcnt("mod_exporter"));
        assertEquals(List.of(), kernel.holders("mod_exporter"));

        // a non-GPL module that only links plain exports loads, and shows P in /proc/modules
        kernel.insmod("mod_nongpl");
        assertDmesgInOrder(kernel, "mod_nongpl: init: 3");
        Kernel.Module m = kernel.module("mod_nongpl");
        assertEquals(List.of("mod_nongpl", "Live", "(P)"), List.of(m.name(), m.state(), m.taints()));
        kernel.rmmod("mod_nongpl");
        kernel.rmmod("mod_exporter");
    }

    @Test
    public void namespacedSymbolNeedsTheNamespaceImported() throws Exception {
        kernel.insmod("mod_exporter");
        assertEquals("exporter_ns is in its namespace", "EXPORTER_NS",
                symbol("exporter_ns").get(0).getProperty("kernel.symbol.namespace"));

        assertEquals(Errno.EINVAL.value(), kernel.finitModule("mod_nsmissing", ""));
        List<String> log = kernel.dmesg();
        assertEquals(String.join("\n", log), List.of(
                "mod_nsmissing: module uses symbol (exporter_ns) from namespace EXPORTER_NS, but does not import it.",
                "mod_nsmissing: Unknown symbol exporter_ns (err -22)"),
                log.stream().filter(l -> l.startsWith("mod_nsmissing:")).toList());
        assertGone("mod_nsmissing");
        assertEquals("exporter_add's reference given back", 0, kernel.refcnt("mod_exporter"));

        kernel.insmod("mod_nsimport");
        assertEquals(List.of("mod_nsimport"), kernel.holders("mod_exporter"));
        kernel.rmmod("mod_nsimport");
        kernel.rmmod("mod_exporter");
    }

    @Test
    public void exportForNamedModulesLinksOnlyThem() throws Exception {
        kernel.insmod("mod_formod");
        assertEquals(Errno.EINVAL.value(), kernel.finitModule("mod_outsider", ""));
        assertDmesgInOrder(kernel, "mod_outsider: module uses symbol (formod_sym) from namespace module:mod_friend, but does not import it.");
        assertGone("mod_outsider");
        assertEquals(0, kernel.refcnt("mod_formod"));

        kernel.insmod("mod_friend");
        assertEquals(List.of("mod_friend"), kernel.holders("mod_formod"));
        kernel.rmmod("mod_friend");
        kernel.rmmod("mod_formod");
    }

    @Test
    public void duplicateExportIsEnoexecBeforeInitRuns() throws Exception {
        kernel.insmod("mod_exporter");
        assertEquals(Errno.ENOEXEC.value(), kernel.finitModule("mod_dup", ""));
        assertDmesgInOrder(kernel, "mod_dup: exports duplicate symbol exporter_add (owned by mod_exporter)");
        assertNoDmesg(kernel, "mod_dup: init");
        assertGone("mod_dup");
        assertEquals("dup_own never appeared", List.of(), symbol("dup_own"));
        assertEquals("exporter_add still exported once, by mod_exporter", 1, symbol("exporter_add").size());
        assertEquals("mod_exporter", symbol("exporter_add").get(0).getProperty("kernel.symbol.owner"));
        kernel.rmmod("mod_exporter");

        // the other way round: the first one loaded owns the name
        sys.syslog(true);
        kernel.insmod("mod_dup");
        assertEquals(Errno.ENOEXEC.value(), kernel.finitModule("mod_exporter", ""));
        assertDmesgInOrder(kernel, "mod_exporter: exports duplicate symbol exporter_add (owned by mod_dup)");
        assertEquals(1, dmesgCount("mod_dup: init"));
        assertNoDmesg(kernel, "mod_exporter: init");
        assertGone("mod_exporter");
        kernel.rmmod("mod_dup");
        assertGone("mod_dup");
    }

    @Test
    public void symbolEventsReachFilteredListenersOnlyAndRegistryQueriesSeeEverySymbol() throws Exception {
        List<String> unfiltered = Collections.synchronizedList(new ArrayList<>());
        List<String> filtered = Collections.synchronizedList(new ArrayList<>());
        ServiceListener all = e -> unfiltered.add(e.getType() + " " + e.getServiceReference().getProperty("kernel.symbol"));
        ServiceListener symbols = e -> filtered.add(e.getType() + " " + e.getServiceReference().getProperty("kernel.symbol"));
        context.addServiceListener(all);
        context.addServiceListener(symbols, "(kernel.symbol=exporter_add)");
        try {
            kernel.insmod("mod_exporter");
            assertEquals("a registry query still finds the export", 1, symbol("exporter_add").size());
            kernel.rmmod("mod_exporter");
        } finally {
            context.removeServiceListener(all);
            context.removeServiceListener(symbols);
        }
        assertEquals(List.of(ServiceEvent.REGISTERED + " exporter_add", ServiceEvent.UNREGISTERING + " exporter_add"),
                filtered);
        assertEquals("a listener of every service event is spared the symbol table's", List.of(),
                unfiltered.stream().filter(e -> !e.endsWith(" null")).toList());
    }
}
