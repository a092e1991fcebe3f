package org.kvmosgi.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFileExtend;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.features;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.inject.Inject;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * A real Apache Karaf 4.4 with the generated features repository: kvm-osgi-x86 installed
 * offline (the distribution's system/ and the local Maven repository), the kernel configured
 * through etc/org.kvmosgi.kernel.cfg, then kmod, the VMM and diag through Karaf's shell.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KarafTest {
    static final String URL_CFG = "etc/org.ops4j.pax.url.mvn.cfg";

    @Inject
    SessionFactory sessions;

    @Configuration
    public Option[] config() {
        String local = System.getProperty("kvmosgi.karaf.repo");
        String repo = Path.of(local).toUri().toString();
        String system = Path.of(System.getProperty("kvmosgi.dist"), "system").toUri().toString();
        return options(
                karafDistributionConfiguration()
                        .frameworkUrl(maven("org.apache.karaf", "apache-karaf", System.getProperty("karaf.version"))
                                .type("tar.gz"))
                        .unpackDirectory(new File(System.getProperty("kvmosgi.karaf.unpack")))
                        .useDeployFolder(false),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevel.WARN),
                // offline: Karaf's own system/ repository, the platform's, and the local repository
                editConfigurationFilePut(URL_CFG, "org.ops4j.pax.url.mvn.repositories", ""),
                editConfigurationFilePut(URL_CFG, "org.ops4j.pax.url.mvn.offline", "true"),
                editConfigurationFilePut(URL_CFG, "org.ops4j.pax.url.mvn.localRepository", local),
                editConfigurationFileExtend(URL_CFG, "org.ops4j.pax.url.mvn.defaultRepositories",
                        system + "@id=kvmosgi@snapshots," + repo + "@id=local@snapshots"),
                // the kernel's boot parameters, as a Karaf user sets them
                editConfigurationFilePut("etc/org.kvmosgi.kernel.cfg", "host", "intel"),
                editConfigurationFilePut("etc/org.kvmosgi.kernel.cfg", "root", "${karaf.data}/kvmosgi/root"),
                features(new File(System.getProperty("kvmosgi.features.xml")).toURI().toString(), "kvm-osgi-x86"));
    }

    /** A line in Karaf's shell: its stdout, or "FAIL: message" after it. */
    String run(String line) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            Session s = sessions.create(new ByteArrayInputStream(new byte[0]), o, e);
            try {
                s.execute(line);
            } catch (Exception ex) {
                return out.toString(StandardCharsets.UTF_8) + "FAIL: " + ex.getMessage();
            } finally {
                s.close();
            }
        }
        return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void kvmIntelLoadsRunsAVmAndShowsInLsmodAndDmesg() {
        assertEquals("", run("modprobe kvm_intel"));
        String lsmod = run("lsmod");
        assertTrue(lsmod, lsmod.startsWith("Module                  Size  Used by\n"));
        assertTrue(lsmod, lsmod.matches("(?s).*\\nkvm_intel +\\d+  0\\n.*"));
        assertTrue(lsmod, lsmod.matches("(?s).*\\nkvm +\\d+  1 kvm_intel\\n.*"));
        // in Karaf, `vm` alone names the vm scope's subshell: the VMM's commands are vm:NAME
        assertEquals("vm0: 1 vCPU, 64 KiB\n", run("vm:create"));
        String out = run("vm:run --workload cpuid --iterations 1000 vm0");
        assertTrue(out, out.startsWith("vm0: cpuid x 1000"));
        assertTrue(run("vm:stat vm0"), run("vm:stat vm0").contains("exits                1001"));
        String destroy = run("vm:destroy vm0");
        assertTrue(destroy, !destroy.contains("FAIL"));
        String help = run("help modprobe");
        assertTrue(help, help.contains("Usage:") && help.contains("modprobe [options] [-i] [-b] modulename"));
        String dmesg = run("dmesg");
        assertTrue(dmesg, dmesg.contains("Host profile: intel"));
        assertTrue(run("why kvm_intel"), run("why kvm_intel").startsWith("kvm_intel is live"));
    }
}
