package org.kvmosgi.diag.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

public class GraphTest {
    static final String DIR = WhyAnalysisTest.DIR;

    private static ModuleFile file(String name, List<String> imports, List<String> exports) {
        return new ModuleFile(name, DIR + "/kernel/" + name.replace('_', '-') + ".ko", imports, exports, List.of(), "");
    }

    private final List<ModuleFile> files = List.of(file("kvm", List.of(), List.of("kvm_init", "kvm_exit", "x")),
            file("kvm_intel", List.of("kvm_init", "kvm_exit"), List.of()),
            file("kvm_amd", List.of("kvm_init", "kvm_exit"), List.of()),
            file("mod_permanent", List.of(), List.of()));

    private Snapshot snapshot(List<Loaded> loaded, List<Attempt> history) {
        return new Snapshot("intel", DIR, Snapshot.byName(files), loaded, Snapshot.historyByName(history), List.of(),
                List.of(), List.of());
    }

    private Snapshot intelUpAmdFailed() {
        return snapshot(Loaded.parse("kvm_intel 36864 0 - Live 0xffffffffc0010000\n"
                + "kvm 57344 1 kvm_intel, Live 0xffffffffc0000000\n"
                + "mod_permanent 4096 0 [permanent], Live 0xffffffffc0020000\n"),
                List.of(new Attempt("kvm_amd", -19, "kvm_amd:init", "intel", List.of("kvm_amd: SVM not supported"))));
    }

    private static List<String> dot(ModuleGraph g) {
        List<String> out = new ArrayList<>();
        new ModuleGraphPrinter(out::add).dot(g);
        return out;
    }

    private static Document svg(List<String> lines) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(String.join("\n", lines)
                .getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> texts(Document d) {
        List<String> out = new ArrayList<>();
        NodeList l = d.getElementsByTagNameNS(Svg.NS, "text");
        for (int i = 0; i < l.getLength(); i++) {
            out.add(l.item(i).getTextContent());
        }
        return out;
    }

    @Test
    public void loadedGraphHasHoldersAsEdgesWithTheirSymbolsAndTheFailedOnesWithWhatTheyWouldUse() {
        ModuleGraph g = ModuleGraph.loaded(intelUpAmdFailed());
        assertEquals(List.of("kvm", "kvm_amd", "kvm_intel", "mod_permanent"), List.copyOf(g.nodes().keySet()));
        assertEquals(List.of(new ModuleGraph.Edge("kvm_amd", "kvm", List.of("kvm_init", "kvm_exit")),
                new ModuleGraph.Edge("kvm_intel", "kvm", List.of("kvm_init", "kvm_exit"))), g.edges());
        assertEquals(ModuleGraph.State.FAILED, g.nodes().get("kvm_amd").state());
        assertEquals("-ENODEV at kvm_amd:init", g.nodes().get("kvm_amd").note());
        assertTrue(g.nodes().get("mod_permanent").permanent());
        assertEquals(1, g.nodes().get("kvm").refcnt());
    }

    @Test
    public void dotMarksFailedAndPermanentAndLabelsEdgesWithSymbols() {
        List<String> out = dot(ModuleGraph.loaded(intelUpAmdFailed()));
        assertEquals("digraph modules {", out.get(0));
        assertTrue(out.toString(), out.contains("  \"kvm_intel\" -> \"kvm\" [label=\"kvm_init\\nkvm_exit\"];"));
        assertTrue(out.toString(), out.contains("  \"kvm_amd\" -> \"kvm\" [label=\"kvm_init\\nkvm_exit\", style=dashed];"));
        assertTrue(out.toString(), out.contains("  \"kvm_amd\" [label=\"kvm_amd\\nfailed: -ENODEV at kvm_amd:init\", "
                + "color=\"#b03030\", style=filled, fillcolor=\"#f8d0d0\"];"));
        assertTrue(out.toString(), out.stream().anyMatch(l -> l.startsWith("  \"mod_permanent\" [label=\"mod_permanent"
                + "\\nlive, refcnt 0\\n[permanent]\"") && l.endsWith(", peripheries=2];")));
        assertEquals("}", out.get(out.size() - 1));
    }

    @Test
    public void dotQuotesWhatDotWouldReadAsSyntaxOrEscapes() {
        assertEquals("\"a\\\"b\\\\n\\nc\"", Dot.quote("a\"b\\n\nc"));
    }

    @Test
    public void featureGraphTakesModulesDepAndDropsTheTransitiveDependencies() {
        String dep = "kernel/kvm.ko:\nkernel/kvm-intel.ko: kernel/kvm.ko\nkernel/kvm-amd.ko: kernel/kvm.ko"
                + " kernel/mod-permanent.ko\nkernel/mod-permanent.ko:\n";
        ModuleGraph g = ModuleGraph.feature(snapshot(List.of(), List.of()), dep);
        assertEquals(4, g.nodes().size());
        assertEquals(ModuleGraph.State.NOT_LOADED, g.nodes().get("kvm").state());
        assertEquals(List.of(new ModuleGraph.Edge("kvm_amd", "kvm", List.of("kvm_init", "kvm_exit")),
                new ModuleGraph.Edge("kvm_intel", "kvm", List.of("kvm_init", "kvm_exit"))), g.edges());
    }

    @Test
    public void svgPutsUsedModulesAboveTheirUsersAndIsWellFormed() throws Exception {
        List<String> out = new ArrayList<>();
        ModuleGraph g = ModuleGraph.loaded(intelUpAmdFailed());
        new ModuleGraphPrinter(out::add).svg(g);
        Document d = svg(out);
        assertEquals("svg", d.getDocumentElement().getLocalName());
        assertEquals(java.util.Map.of("kvm", 0, "kvm_amd", 1, "kvm_intel", 1, "mod_permanent", 0),
                ModuleGraphPrinter.ranks(g));
        List<String> t = texts(d);
        assertTrue(t.toString(), t.containsAll(List.of("kvm", "live, refcnt 1", "failed: -ENODEV at kvm_amd:init",
                "[permanent]", "kvm_init", "kvm_exit")));
        // the same graph, the same picture: committed copies can be compared byte for byte
        List<String> again = new ArrayList<>();
        new ModuleGraphPrinter(again::add).svg(g);
        assertEquals(out, again);
    }

    @Test
    public void manySymbolsAreCutOnTheArrowButAllInItsTooltip() {
        assertEquals(List.of("a", "b", "c", "+2 more"), ModuleGraphPrinter.edgeLabel(List.of("a", "b", "c", "d", "e")));
    }

    @Test
    public void initcallsArePairedAndKeepCallOrder() {
        List<Initcall> calls = Initcall.parse(List.of(
                "[    0.100000] calling  kvm_x86_init+0x0/0x1000 [kvm] @ 41",
                "[    0.100200] initcall kvm_x86_init+0x0/0x1000 [kvm] returned 0 after 180 usecs",
                "[    0.100300] calling  vmx_init+0x0/0x1000 [kvm_intel] @ 41",
                "[    0.100310] kvm_intel: something in between",
                "[    0.101300] initcall vmx_init+0x0/0x1000 [kvm_intel] returned -5 after 990 usecs",
                "[    0.200000] calling  hung_init+0x0/0x1000 [hung] @ 42"));
        assertEquals(List.of(new Initcall("kvm_x86_init", "kvm", 41, 100_000, 180, 0),
                new Initcall("vmx_init", "kvm_intel", 41, 100_300, 990, -5)), calls);
        assertTrue(calls.get(1).failed());
        assertEquals("vmx_init [kvm_intel]", calls.get(1).label());
    }

    @Test
    public void bootgraphDrawsOneBarPerInitcallWithItsDuration() throws Exception {
        List<Initcall> calls = List.of(new Initcall("kvm_x86_init", "kvm", 41, 100_000, 180, 0),
                new Initcall("vmx_init", "kvm_intel", 41, 100_300, 990, -5));
        List<String> out = new ArrayList<>();
        new BootgraphPrinter(out::add).print(calls, "boot");
        Document d = svg(out);
        List<String> t = texts(d);
        assertTrue(t.toString(), t.contains("kvm_x86_init [kvm] 180 usecs"));
        assertTrue(t.toString(), t.contains("vmx_init [kvm_intel] returned -5 990 usecs"));
        assertTrue(t.toString(), t.contains("boot: 2 initcalls in 1290 usecs"));
        NodeList rects = d.getElementsByTagNameNS(Svg.NS, "rect");
        assertEquals(2, rects.getLength());
        double w1 = Double.parseDouble(rects.item(0).getAttributes().getNamedItem("width").getNodeValue());
        double w2 = Double.parseDouble(rects.item(1).getAttributes().getNamedItem("width").getNodeValue());
        assertEquals(990.0 / 180, w2 / w1, 0.05);
    }
}
