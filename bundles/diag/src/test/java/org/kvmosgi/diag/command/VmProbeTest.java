package org.kvmosgi.diag.command;

import static org.junit.Assert.assertEquals;

import org.junit.Test;
import org.kvmosgi.kvm.api.KvmIoctl;

public class VmProbeTest {
    @Test
    public void createVmNumberIsKvmApis() {
        assertEquals(KvmIoctl.KVM_CREATE_VM, VmProbe.KVM_CREATE_VM);
    }
}
