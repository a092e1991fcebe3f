package org.kvmosgi.kernel.testkit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.kvmosgi.kernel.api.host.CpuFlags;
import org.kvmosgi.kernel.api.host.Host;
import org.kvmosgi.kernel.host.HostProfiles;

public class HostsTest {

    @Test
    public void aProfileIsTheOneTheKernelBoots() {
        assertSame(HostProfiles.get("power9"), Hosts.profile("power9"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Hosts.profile("vax"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("no host profile vax; the kernel has [intel, amd, "));
    }

    @Test
    public void withoutTakesOneFlagFromOneCpu() {
        Host h = Hosts.without(Hosts.profile("intel"), 2, CpuFlags.VMX_PREEMPTION_TIMER);
        assertEquals("intel", h.profile());
        assertEquals(4, h.cpus().size());
        for (int i = 0; i < 4; i++) {
            assertEquals("cpu " + i, i != 2, h.cpus().get(i).has(CpuFlags.VMX_PREEMPTION_TIMER));
            assertTrue(h.cpus().get(i).has(CpuFlags.VMX));
        }
        assertTrue("the profile itself is untouched", Hosts.profile("intel").allCpusHave(CpuFlags.VMX_PREEMPTION_TIMER));
    }

    @Test
    public void aMachineOfTheTestsOwn() {
        Host h = Hosts.of("power9-no-tlbie", "IBM", 4, CpuFlags.HVMODE, CpuFlags.RADIX);
        assertEquals("ppc64le", h.arch());
        assertTrue(h.allCpusHave(CpuFlags.RADIX));
        assertFalse(h.cpus().get(0).has(CpuFlags.TLBIE));
        assertEquals("x86_64", Hosts.of("amd-old", "AuthenticAMD", 2, CpuFlags.SVM).arch());
    }
}
