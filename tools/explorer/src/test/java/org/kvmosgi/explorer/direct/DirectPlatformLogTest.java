package org.kvmosgi.explorer.direct;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;
import org.kvmosgi.kernel.api.syscall.ForwardingSyscalls;

/**
 * What the platform keeps of the log between reads (dmesg's text, the lines that report a
 * bug) is what a read from scratch gives, whether the log grew, stayed, was cleared by a
 * reset or was replaced by one as long.
 */
public class DirectPlatformLogTest {
    private List<String> log = new ArrayList<>();

    private final DirectPlatform platform = new DirectPlatform(new ForwardingSyscalls(null) {
        @Override
        public List<String> syslog(boolean clear) {
            return new ArrayList<>(log);
        }
    }, "intel", false, null);

    private void assertAsFromScratch() {
        assertEquals(String.join("\n", log), platform.dmesg());
        assertEquals(log.stream().filter(l -> l.contains("BUG: ")).toList(), platform.bugLines(new ArrayList<>(log)));
    }

    @Test
    public void whatIsKeptIsWhatAReadFromScratchGives() {
        assertAsFromScratch();
        log.add(new String("[    0.000001] kvm: loaded"));
        assertAsFromScratch();
        log.add(new String("[    0.000002] BUG: unable to handle page fault for address: ffffffffc0263000"));
        assertAsFromScratch();
        assertAsFromScratch();
        log.add(new String("[    0.000003] Call Trace:"));
        assertAsFromScratch();
        // a reset: the log cleared, then a log as long as before with other lines
        log = new ArrayList<>();
        assertAsFromScratch();
        log.add(new String("[    0.000004] kvm: loaded"));
        log.add(new String("[    0.000005] kvm: unloaded"));
        log.add(new String("[    0.000006] kvm: loaded"));
        assertAsFromScratch();
        // replaced by as many lines, equal in text but other lines of the log
        List<String> again = new ArrayList<>();
        log.forEach(l -> again.add(new String(l)));
        again.set(1, new String("[    0.000005] BUG: kernel NULL pointer dereference"));
        log = again;
        assertAsFromScratch();
    }
}
