package org.kvmosgi.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;
import org.osgi.service.feature.Feature;
import org.osgi.service.feature.FeatureArtifact;
import org.osgi.service.feature.FeatureBundle;

/** The project's own feature files (features/src/main/features), read as the launcher reads them. */
public class FeatureFilesTest {
    private static final Path SOURCES = Paths.get(System.getProperty("kvmosgi.test.features", "../features/src/main/features"));
    private static final Path BASEDIR = SOURCES.resolve("../../../..").normalize();

    @Test
    public void thePlatformStartsTheConsoleBeforeTheKernelAndTheToolsAfterIt() throws IOException {
        List<String> ids = new ArrayList<>();
        for (FeatureBundle b : feature("platform").getBundles()) {
            ids.add(b.getID().getGroupId() + ":" + b.getID().getArtifactId());
        }
        // the console must hear the kernel's start failure (see ConsoleActivator)
        assertTrue(ids.toString(), ids.indexOf("org.kvmosgi:console") < ids.indexOf("org.kvmosgi:kernel"));
        assertTrue(ids.toString(), ids.indexOf("org.kvmosgi:kernel") < ids.indexOf("org.kvmosgi:kmod"));
        assertTrue(ids.toString(), ids.indexOf("org.kvmosgi:kernel-api") < ids.indexOf("org.kvmosgi:console"));
    }

    @Test
    public void theFixturesFeatureListsEveryFixtureBundleAsADashedKoFile() throws IOException {
        List<String> classifiers = new ArrayList<>();
        Matcher m = Pattern.compile("<classifier>([^<]+)</classifier>")
                .matcher(Files.readString(BASEDIR.resolve("itests/fixtures/pom.xml")));
        while (m.find()) {
            classifiers.add(m.group(1));
        }
        List<String> listed = new ArrayList<>();
        for (FeatureArtifact a : feature("fixtures").getExtensions().get(RootFs.MODULES_EXTENSION).getArtifacts()) {
            String classifier = a.getID().getClassifier().orElseThrow();
            listed.add(classifier);
            assertEquals("kernel/drivers/kvmosgi-test/" + classifier.replace('_', '-') + ".ko", a.getMetadata().get("file"));
        }
        assertEquals("fixtures.json must follow the classifiers of itests/fixtures/pom.xml", classifiers, listed);

        // and the distribution must carry each of them in system/
        String launcherPom = Files.readString(BASEDIR.resolve("launcher/pom.xml"));
        for (String c : classifiers) {
            assertTrue("launcher/pom.xml needs the fixtures dependency with classifier " + c,
                    launcherPom.contains("<artifactId>fixtures</artifactId><version>${project.version}</version><classifier>" + c + "</classifier>"));
        }
    }

    private static Feature feature(String name) throws IOException {
        // the sources are unfiltered (${project.version}): the reader does not mind
        return RootFs.readFeature(SOURCES.getParent(), name);
    }
}
