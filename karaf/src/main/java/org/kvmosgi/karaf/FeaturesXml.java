package org.kvmosgi.karaf;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.kvmosgi.launcher.RootFs;
import org.osgi.service.feature.Feature;
import org.osgi.service.feature.FeatureArtifact;
import org.osgi.service.feature.FeatureBundle;
import org.osgi.service.feature.FeatureExtension;
import org.osgi.service.feature.ID;

/**
 * Writes the Apache Karaf features repository from the platform's OSGi Feature JSON (the
 * one truth): {@code kvm-osgi-platform} from {@code platform}, and for each module set
 * {@code NAME} a feature {@code kvm-osgi-NAME} (a leading {@code kvm-} dropped:
 * {@code kvm-osgi-x86}) with the set's bundles and its module files as {@code configfile}s
 * below the root's {@code lib/modules/RELEASE/}: files on disk, nothing loaded, as a
 * distribution package installs them. What Karaf itself runs (logging, ConfigAdmin, the
 * Gogo runtime, JLine) is left out; SCR and the OSGi packages it needs are
 * {@code dependency="true"} bundles, which Karaf's resolver installs only when nothing
 * installed (Karaf's own {@code scr} feature, say) provides them already.
 */
public final class FeaturesXml {
    static final String NS = "http://karaf.apache.org/xmlns/features/v1.6.0";
    /** Where the model's root file system lies in Karaf: the kernel's {@code root} (etc/org.kvmosgi.kernel.cfg). */
    static final String ROOT = "${karaf.data}/kvmosgi/root";
    static final String PREFIX = "kvm-osgi-";

    /** Installed only when Karaf has no provider of what they provide. */
    static final java.util.Set<String> DEPENDENCIES = java.util.Set.of("org.osgi:org.osgi.util.function",
            "org.osgi:org.osgi.util.promise", "org.osgi:org.osgi.service.component", "org.apache.felix:org.apache.felix.scr");

    /** The platform's bundles that Karaf runs itself, and where in Karaf they are. */
    static final Map<String, String> KARAF_PROVIDES = Map.ofEntries(
            Map.entry("org.ops4j.pax.logging:pax-logging-api", "boot"),
            Map.entry("org.ops4j.pax.logging:pax-logging-logback", "boot"),
            Map.entry("org.apache.felix:org.apache.felix.configadmin", "boot"),
            Map.entry("org.jline:jline", "shell"),
            Map.entry("org.apache.felix:org.apache.felix.gogo.runtime", "shell"),
            Map.entry("org.apache.felix:org.apache.felix.gogo.command", "shell"),
            Map.entry("org.apache.felix:org.apache.felix.gogo.jline", "shell"));

    private FeaturesXml() {}

    /** {@code FeaturesXml DISTRIBUTION OUT.xml VERSION}. */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: FeaturesXml DISTRIBUTION-DIR OUT.xml VERSION");
        }
        write(Path.of(args[0]), Path.of(args[1]), args[2]);
    }

    /** The Karaf feature name of a module set. */
    static String karafName(String jsonName) {
        return PREFIX + (jsonName.startsWith("kvm-") ? jsonName.substring(4) : jsonName);
    }

    static void write(Path dist, Path out, String version) throws IOException, XMLStreamException {
        Files.createDirectories(out.toAbsolutePath().getParent());
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(w);
            x.writeStartDocument("UTF-8", "1.0");
            nl(x, 0);
            x.writeComment(" generated from the OSGi Feature JSON of the distribution by org.kvmosgi.karaf.FeaturesXml ");
            nl(x, 0);
            x.writeStartElement("features");
            x.writeDefaultNamespace(NS);
            x.writeAttribute("name", "kvm-osgi-" + version);
            String karafVersion = version.replace("-SNAPSHOT", ".SNAPSHOT");

            Feature platform = RootFs.readFeature(dist, RootFs.PLATFORM);
            feature(x, PREFIX + RootFs.PLATFORM, karafVersion, platform.getDescription().orElse(null));
            nl(x, 2);
            x.writeStartElement("config");
            x.writeAttribute("name", "org.kvmosgi.kernel");
            x.writeCharacters("\n      root = " + ROOT + "\n      host = intel\n      cmdline =\n    ");
            x.writeEndElement();
            bundles(x, platform.getBundles());
            nl(x, 1);
            x.writeEndElement();

            for (String name : RootFs.availableFeatures(dist)) {
                if (name.equals(RootFs.PLATFORM)) {
                    continue;
                }
                Feature set = RootFs.readFeature(dist, name);
                if (builtIn(set)) {
                    continue;
                }
                feature(x, karafName(name), karafVersion, set.getDescription().orElse(null));
                element(x, 2, "feature", PREFIX + RootFs.PLATFORM);
                bundles(x, set.getBundles());
                FeatureExtension modules = set.getExtensions().get(RootFs.MODULES_EXTENSION);
                if (modules != null) {
                    for (FeatureArtifact m : modules.getArtifacts()) {
                        nl(x, 2);
                        x.writeStartElement("configfile");
                        x.writeAttribute("finalname", ROOT + "/lib/modules/" + RootFs.DEFAULT_RELEASE + "/"
                                + m.getMetadata().get(RootFs.FILE_METADATA));
                        x.writeAttribute("override", "true");
                        x.writeCharacters(mvn(m.getID()));
                        x.writeEndElement();
                    }
                }
                nl(x, 1);
                x.writeEndElement();
            }
            nl(x, 0);
            x.writeEndElement();
            nl(x, 0);
            x.writeEndDocument();
            x.close();
        }
    }

    /**
     * Whether a module set builds modules into the kernel image ({@code "builtin": true}):
     * the launcher writes modules.builtin for those before the kernel boots, which a Karaf
     * feature installed into a running kernel cannot do, so such sets are not published.
     */
    static boolean builtIn(Feature set) {
        FeatureExtension modules = set.getExtensions().get(RootFs.MODULES_EXTENSION);
        return modules != null && modules.getArtifacts().stream()
                .anyMatch(m -> Boolean.TRUE.equals(m.getMetadata().get(RootFs.BUILTIN_METADATA))
                        || "true".equals(String.valueOf(m.getMetadata().get(RootFs.BUILTIN_METADATA))));
    }

    private static void feature(XMLStreamWriter x, String name, String version, String description)
            throws XMLStreamException {
        nl(x, 1);
        x.writeStartElement("feature");
        x.writeAttribute("name", name);
        x.writeAttribute("version", version);
        if (description != null) {
            x.writeAttribute("description", description);
        }
    }

    private static void bundles(XMLStreamWriter x, List<FeatureBundle> bundles) throws XMLStreamException {
        for (FeatureBundle b : bundles) {
            if (DEPENDENCIES.contains(ga(b.getID()))) {
                nl(x, 2);
                x.writeStartElement("bundle");
                x.writeAttribute("dependency", "true");
                x.writeCharacters(mvn(b.getID()));
                x.writeEndElement();
            } else if (!KARAF_PROVIDES.containsKey(ga(b.getID()))) {
                element(x, 2, "bundle", mvn(b.getID()));
            }
        }
    }

    static String ga(ID id) {
        return id.getGroupId() + ":" + id.getArtifactId();
    }

    /** pax-url's {@code mvn:group/artifact/version[/type[/classifier]]}. */
    static String mvn(ID id) {
        String s = "mvn:" + id.getGroupId() + "/" + id.getArtifactId() + "/" + id.getVersion();
        if (id.getClassifier().isPresent()) {
            s += "/" + id.getType().orElse("jar") + "/" + id.getClassifier().get();
        } else if (id.getType().isPresent() && !id.getType().get().equals("jar")) {
            s += "/" + id.getType().get();
        }
        return s;
    }

    private static void element(XMLStreamWriter x, int depth, String name, String text) throws XMLStreamException {
        nl(x, depth);
        x.writeStartElement(name);
        x.writeCharacters(text);
        x.writeEndElement();
    }

    private static void nl(XMLStreamWriter x, int depth) throws XMLStreamException {
        x.writeCharacters("\n" + "  ".repeat(depth));
    }
}
