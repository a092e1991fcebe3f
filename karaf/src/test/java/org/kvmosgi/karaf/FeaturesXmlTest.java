package org.kvmosgi.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.Test;
import org.kvmosgi.launcher.RootFs;
import org.osgi.service.feature.Feature;
import org.osgi.service.feature.FeatureArtifact;
import org.osgi.service.feature.FeatureBundle;
import org.osgi.service.feature.FeatureExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The published features.xml says what the Feature JSON says: every bundle and every module file, nothing else. */
public class FeaturesXmlTest {
    private final Path dist = Path.of(System.getProperty("kvmosgi.dist"));

    /** Karaf feature name -> its bundle and configfile lines, as "bundle URL" / "file NAME <- URL". */
    private Map<String, List<String>> published() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document d = f.newDocumentBuilder().parse(Path.of(System.getProperty("kvmosgi.features.xml")).toFile());
        assertEquals(FeaturesXml.NS, d.getDocumentElement().getNamespaceURI());
        Map<String, List<String>> out = new LinkedHashMap<>();
        NodeList features = d.getElementsByTagNameNS(FeaturesXml.NS, "feature");
        for (int i = 0; i < features.getLength(); i++) {
            Element e = (Element) features.item(i);
            if (!e.hasAttribute("name")) {
                continue; // a <feature> dependency inside another
            }
            List<String> lines = new ArrayList<>();
            NodeList kids = e.getChildNodes();
            for (int k = 0; k < kids.getLength(); k++) {
                if (kids.item(k) instanceof Element c) {
                    switch (c.getLocalName()) {
                        case "bundle" -> lines.add("bundle " + c.getTextContent().trim());
                        case "configfile" -> lines.add("file " + c.getAttribute("finalname") + " <- "
                                + c.getTextContent().trim());
                        default -> { }
                    }
                }
            }
            out.put(e.getAttribute("name"), lines);
        }
        return out;
    }

    /** What the JSON says the Karaf feature must hold. */
    private List<String> expected(Feature json) {
        List<String> lines = new ArrayList<>();
        for (FeatureBundle b : json.getBundles()) {
            if (!FeaturesXml.KARAF_PROVIDES.containsKey(FeaturesXml.ga(b.getID()))) {
                lines.add("bundle " + FeaturesXml.mvn(b.getID()));
            }
        }
        FeatureExtension modules = json.getExtensions().get(RootFs.MODULES_EXTENSION);
        if (modules != null) {
            for (FeatureArtifact m : modules.getArtifacts()) {
                lines.add("file " + FeaturesXml.ROOT + "/lib/modules/" + RootFs.DEFAULT_RELEASE + "/"
                        + m.getMetadata().get(RootFs.FILE_METADATA) + " <- " + FeaturesXml.mvn(m.getID()));
            }
        }
        return lines;
    }

    @Test
    public void everyJsonFeatureIsAKarafFeatureWithTheSameBundlesAndModuleFiles() throws Exception {
        Map<String, List<String>> xml = published();
        List<String> names = new ArrayList<>();
        for (String name : RootFs.availableFeatures(dist)) {
            if (FeaturesXml.builtIn(RootFs.readFeature(dist, name))) {
                assertTrue(name + " builds modules into the kernel: not for Karaf",
                        !xml.containsKey(FeaturesXml.karafName(name)));
            } else {
                names.add(name);
            }
        }
        assertEquals(names.size(), xml.size());
        for (String name : names) {
            String karaf = name.equals(RootFs.PLATFORM) ? FeaturesXml.PREFIX + name : FeaturesXml.karafName(name);
            assertTrue(karaf + " in " + xml.keySet(), xml.containsKey(karaf));
            assertEquals(karaf, expected(RootFs.readFeature(dist, name)), xml.get(karaf));
        }
        assertTrue(xml.containsKey("kvm-osgi-x86"));
        assertTrue(xml.containsKey("kvm-osgi-x86-monolithic"));
    }

    @Test
    public void onlyWhatKarafRunsItselfIsLeftOut() throws Exception {
        for (FeatureBundle b : RootFs.readFeature(dist, RootFs.PLATFORM).getBundles()) {
            String ga = FeaturesXml.ga(b.getID());
            if (FeaturesXml.KARAF_PROVIDES.containsKey(ga)) {
                assertTrue(ga, ga.startsWith("org.apache.felix:org.apache.felix.gogo") || ga.startsWith("org.ops4j.pax.logging")
                        || ga.equals("org.jline:jline") || ga.equals("org.apache.felix:org.apache.felix.configadmin"));
            }
        }
    }
}
