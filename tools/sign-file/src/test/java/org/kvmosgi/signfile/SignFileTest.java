package org.kvmosgi.signfile;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.kvmosgi.kernel.api.modsig.ModuleSignature;

/** SignFile signs as jarsigner does with the build's key: the same files, the same signer for the kernel. */
public class SignFileTest {
    private static Path keystore;
    private static String storepass;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @BeforeClass
    public static void buildKey() {
        String ks = System.getProperty("kernel.signing.keystore");
        assertNotNull("kernel.signing.keystore (the build's key, made by the root project) is not set", ks);
        keystore = Path.of(ks);
        assertTrue(keystore + " is missing: build with the root project (-am)", Files.isRegularFile(keystore));
        storepass = System.getProperty("kernel.signing.storepass");
    }

    private Path module(String file) throws IOException {
        Path jar = tmp.getRoot().toPath().resolve(file);
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Bundle-SymbolicName", "mod_simple");
        try (OutputStream f = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(f, mf)) {
            out.putNextEntry(new ZipEntry("org/kvmosgi/fixtures/simple/firmware.txt"));
            out.write("firmware\n".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry("org/kvmosgi/fixtures/simple/Module.class"));
            out.write(new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe});
        }
        return jar;
    }

    private static TreeMap<String, byte[]> entries(Path jar) throws IOException {
        TreeMap<String, byte[]> out = new TreeMap<>();
        try (ZipFile z = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements();) {
                ZipEntry entry = e.nextElement();
                out.put(entry.getName(), z.getInputStream(entry).readAllBytes());
            }
        }
        return out;
    }

    private static SignFile signer(String sigalg) throws Exception {
        return new SignFile(keystore, storepass, "signing_key", sigalg, "SHA-256");
    }

    @Test
    public void signerNameIsJarsignersFromTheAlias() {
        assertEquals("SIGNING_", SignFile.signerName("signing_key"));
        assertEquals("MY_KEY", SignFile.signerName("my.key"));
        assertEquals("A-B", SignFile.signerName("a-b"));
    }

    @Test
    public void signsAsJarsignerDoes() throws Exception {
        Path ours = module("ours.jar");
        Path theirs = module("theirs.jar");
        signer("SHA256withRSA").sign(ours);
        Path jarsigner = Path.of(System.getProperty("java.home"), "bin", "jarsigner");
        Process p = new ProcessBuilder(jarsigner.toString(), "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass", storepass, "-sigalg", "SHA256withRSA", "-digestalg", "SHA-256", theirs.toString(),
                "signing_key").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue("jarsigner did not finish", p.waitFor(60, TimeUnit.SECONDS));
        assertEquals("jarsigner's exit status", 0, p.exitValue());

        TreeMap<String, byte[]> a = entries(ours);
        TreeMap<String, byte[]> b = entries(theirs);
        assertEquals(b.keySet(), a.keySet());
        assertTrue(a.containsKey("META-INF/SIGNING_.SF") && a.containsKey("META-INF/SIGNING_.RSA"));
        // the manifest's digests and the signature file's are the same bytes; the PKCS#7 block
        // differs only in its signing time, so compare what the kernel reads of it
        assertArrayEquals(b.get("META-INF/MANIFEST.MF"), a.get("META-INF/MANIFEST.MF"));
        assertArrayEquals(b.get("META-INF/SIGNING_.SF"), a.get("META-INF/SIGNING_.SF"));
        ModuleSignature sa = ModuleSignature.read(ours);
        ModuleSignature sb = ModuleSignature.read(theirs);
        assertEquals(sb.signatureFile(), sa.signatureFile());
        assertEquals("sha256", sa.hashAlgo());
        assertEquals(sb.hashAlgo(), sa.hashAlgo());
        assertEquals(sb.signer(), sa.signer());
        assertEquals(sb.serial(), sa.serial());
        assertArrayEquals(sb.issuer(), sa.issuer());
    }

    @Test
    public void everyEntryVerifiesWithTheBuildCertificate() throws Exception {
        Path jar = module("mod_simple.jar");
        signer("SHA256withRSA").sign(jar);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            ks.load(in, storepass.toCharArray());
        }
        Certificate cert = ks.getCertificate("signing_key");
        int signed = 0;
        try (JarFile verified = new JarFile(jar.toFile(), true)) {
            for (Enumeration<JarEntry> e = verified.entries(); e.hasMoreElements();) {
                JarEntry entry = e.nextElement();
                verified.getInputStream(entry).readAllBytes();
                if (entry.getName().startsWith("org/")) {
                    CodeSigner[] signers = entry.getCodeSigners();
                    assertNotNull(entry.getName() + " is not signed", signers);
                    assertEquals(cert, signers[0].getSignerCertPath().getCertificates().get(0));
                    signed++;
                }
            }
        }
        assertEquals(2, signed);
    }

    @Test
    public void aFailedSigningLeavesTheJarAsItWas() throws Exception {
        Path jar = tmp.getRoot().toPath().resolve("broken.jar");
        Files.writeString(jar, "not a zip");
        assertThrows(IOException.class, () -> signer("SHA256withRSA").sign(jar));
        assertEquals("not a zip", Files.readString(jar));
        assertEquals(List.of(jar), list(tmp.getRoot().toPath()));
    }

    @Test
    public void picksTheClassifiedJarsButTheExcluded() throws Exception {
        Path dir = tmp.getRoot().toPath();
        for (String f : new String[] {"fixtures-1.jar", "fixtures-1-mod_a.jar", "fixtures-1-mod_b.jar",
            "fixtures-1-tests.jar", "other-1-mod_c.jar"}) {
            Files.createFile(dir.resolve(f));
        }
        assertEquals(List.of(dir.resolve("fixtures-1-mod_a.jar"), dir.resolve("fixtures-1-mod_b.jar")),
                SignFile.jars(dir, "fixtures-1", List.of(), Set.of("tests")));
        assertEquals(List.of(dir.resolve("fixtures-1-mod_b.jar")),
                SignFile.jars(dir, "fixtures-1", List.of("mod_b"), Set.of()));
        IOException e = assertThrows(IOException.class, () -> SignFile.jars(dir, "fixtures-1", List.of("mod_x"), Set.of()));
        assertTrue(e.getMessage(), e.getMessage().contains("fixtures-1-mod_x.jar"));
    }

    private static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.forEach(out::add);
        }
        return out;
    }
}
