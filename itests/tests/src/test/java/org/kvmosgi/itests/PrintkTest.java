package org.kvmosgi.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.options;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.kvmosgi.testsupport.KvmOsgi;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;

/**
 * printk goes out through SLF4J (logger {@code kernel}) with its level, reaches the OSGi
 * log, and comes back into the ring buffer that dmesg reads.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PrintkTest extends KernelTestBase {

    @Inject
    LogReaderService logReader;

    @Configuration
    public Option[] config() {
        return options(KvmOsgi.platform(), KvmOsgi.host("intel"), KvmOsgi.feature("fixtures"));
    }

    @Test
    public void kernelMessagesReachTheOsgiLogWithTheirLevel() throws Exception {
        Map<String, LogEntry> seen = new ConcurrentHashMap<>();
        LogListener listener = e -> {
            if ("kernel".equals(e.getLoggerName())) {
                seen.put(e.getMessage(), e);
            }
        };
        logReader.addLogListener(listener);
        try {
            kernel.insmod("mod_exporter");
            kernel.finitModule("mod_dup", "");
            kernel.rmmod("mod_exporter");
            kernel.finitModule("mod_importer", "");
        } finally {
            logReader.removeLogListener(listener);
        }
        assertLevel(seen, "mod_exporter: init", LogLevel.INFO);
        assertLevel(seen, "mod_dup: exports duplicate symbol exporter_add (owned by mod_exporter)", LogLevel.ERROR);
        assertLevel(seen, "mod_importer: Unknown symbol exporter_add (err -2)", LogLevel.WARN);

        List<String> log = kernel.dmesg();
        assertTrue(String.join("\n", log), log.containsAll(List.of("mod_exporter: init",
                "mod_dup: exports duplicate symbol exporter_add (owned by mod_exporter)", "mod_exporter: exit",
                "mod_importer: Unknown symbol exporter_add (err -2)")));
        assertEquals("each message once in the ring buffer", 1, dmesgCount("mod_exporter: init"));
    }

    private static void assertLevel(Map<String, LogEntry> seen, String message, LogLevel level) {
        LogEntry e = seen.get(message);
        assertTrue("the OSGi log has \"" + message + "\"; it has " + seen.keySet(), e != null);
        assertEquals(message, level, e.getLogLevel());
    }
}
