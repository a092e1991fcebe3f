package org.kvmosgi.signfile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipFile;
import jdk.security.jarsigner.JarSigner;

/**
 * The build's module signer, as Linux's scripts/sign-file: signs a project's module
 * bundles (its classified jars) with the build's key, in the JVM that runs it.
 *
 * <p>The signature is what {@code jarsigner -sigalg SIGALG -digestalg DIGESTALG} makes
 * with the same key: jarsigner is a front end of the same {@link JarSigner} API, and
 * the signature file is named from the alias as jarsigner names it ({@code signing_key}
 * gives {@code META-INF/SIGNING_.SF}). Only the process per jar is gone.
 *
 * <pre>
 * SignFile -keystore FILE -storepass PASS -alias NAME -sigalg ALG -digestalg ALG
 *          [-exclude CLASSIFIER]... DIR NAME [CLASSIFIER]...
 * </pre>
 * signs {@code DIR/NAME-CLASSIFIER.jar} for each CLASSIFIER given, or every
 * {@code DIR/NAME-*.jar} but the excluded classifiers when none is given.
 */
public final class SignFile {
    private final JarSigner signer;

    /** A signer with the key and certificate chain {@code alias} names in a PKCS#12 keystore. */
    public SignFile(Path keystore, String storepass, String alias, String sigalg, String digestalg)
            throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, storepass.toCharArray());
        }
        KeyStore.Entry entry = ks.getEntry(alias, new KeyStore.PasswordProtection(storepass.toCharArray()));
        if (!(entry instanceof KeyStore.PrivateKeyEntry key)) {
            throw new GeneralSecurityException(keystore + " has no private key " + alias);
        }
        signer = new JarSigner.Builder(key).signatureAlgorithm(sigalg).digestAlgorithm(digestalg)
                .signerName(signerName(alias)).build();
    }

    /**
     * The signature file's base name jarsigner derives from a key alias when no -sigfile
     * is given: its first 8 characters in upper case, any but A-Z, 0-9, '_' and '-' as '_'.
     */
    static String signerName(String alias) {
        StringBuilder b = new StringBuilder();
        for (char c : alias.substring(0, Math.min(8, alias.length())).toUpperCase(Locale.ENGLISH).toCharArray()) {
            b.append((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ? c : '_');
        }
        return b.toString();
    }

    /** Signs one jar in place (through a file beside it, so that a failed signing leaves the jar as it was). */
    public void sign(Path jar) throws IOException {
        Path signed = jar.resolveSibling(jar.getFileName() + ".signing");
        try (ZipFile in = new ZipFile(jar.toFile()); OutputStream out = Files.newOutputStream(signed)) {
            signer.sign(in, out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(signed);
            throw new IOException("cannot sign " + jar + ": " + e.getMessage(), e);
        }
        Files.move(signed, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * A project's module jars: {@code dir/name-CLASSIFIER.jar} for each of {@code classifiers},
     * or all classified jars of {@code name} but {@code excluded} when none is named.
     */
    static List<Path> jars(Path dir, String name, List<String> classifiers, Set<String> excluded)
            throws IOException {
        List<Path> out = new ArrayList<>();
        if (!classifiers.isEmpty()) {
            for (String c : classifiers) {
                Path jar = dir.resolve(name + "-" + c + ".jar");
                if (!Files.isRegularFile(jar)) {
                    throw new IOException("no module " + jar);
                }
                out.add(jar);
            }
            return out;
        }
        Set<String> sorted = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, name + "-*.jar")) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                sorted.add(n.substring(name.length() + 1, n.length() - ".jar".length()));
            }
        }
        for (String c : sorted) {
            if (!excluded.contains(c)) {
                out.add(dir.resolve(name + "-" + c + ".jar"));
            }
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        String keystore = null;
        String storepass = null;
        String alias = null;
        String sigalg = null;
        String digestalg = null;
        Set<String> excluded = new TreeSet<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("-") && i + 1 == args.length) {
                throw new IllegalArgumentException("sign-file: option " + a + " needs a value");
            }
            switch (a) {
                case "-keystore" -> keystore = args[++i];
                case "-storepass" -> storepass = args[++i];
                case "-alias" -> alias = args[++i];
                case "-sigalg" -> sigalg = args[++i];
                case "-digestalg" -> digestalg = args[++i];
                case "-exclude" -> excluded.add(args[++i]);
                default -> {
                    if (a.startsWith("-")) {
                        throw new IllegalArgumentException("sign-file: unknown option " + a);
                    }
                    rest.add(a);
                }
            }
        }
        if (keystore == null || storepass == null || alias == null || sigalg == null || digestalg == null
                || rest.size() < 2) {
            throw new IllegalArgumentException("usage: sign-file -keystore FILE -storepass PASS -alias NAME"
                    + " -sigalg ALG -digestalg ALG [-exclude CLASSIFIER]... DIR NAME [CLASSIFIER]...");
        }
        SignFile signFile = new SignFile(Path.of(keystore), storepass, alias, sigalg, digestalg);
        List<Path> jars = jars(Path.of(rest.get(0)), rest.get(1), rest.subList(2, rest.size()), excluded);
        for (Path jar : jars) {
            signFile.sign(jar);
        }
        System.out.println("sign-file: " + jars.size() + " module(s) signed with " + keystore);
    }
}
