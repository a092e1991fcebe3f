package org.kvmosgi.kernel.symbol;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Map;
import org.junit.Test;
import org.kvmosgi.kernel.api.OpsOwner;

/** The symbol table without a registry (the framework-free kernel's): the index is the truth. */
public class SymbolTableTest {
    private record Ops(String name) implements OpsOwner {}

    @Test
    public void anExportIsFoundWithItsValueUntilItsRegistrationGoes() {
        SymbolTable t = SymbolTable.withoutRegistry();
        Object value = new Object();
        SymbolTable.Registration r = t.add("kvm", "kvm_init", true, "", value);
        SymbolTable.Found f = t.find("kvm_init");
        assertEquals("kvm", f.owner());
        assertEquals(true, f.gplOnly());
        assertSame(value, t.value(f));
        assertEquals(List.of(f), t.ownedBy("kvm"));
        assertEquals("no registry to disagree with", List.of(), t.disagreements());
        r.unregister();
        assertNull(t.find("kvm_init"));
        try {
            r.unregister();
            fail("a second unregister succeeded");
        } catch (IllegalStateException expected) {
            // as a service registration that is gone
        }
    }

    @Test
    public void theOldestOfTwoExportsOfOneNameIsFoundAndOpsOwnersReadTheValues() {
        SymbolTable t = SymbolTable.withoutRegistry();
        SymbolTable.Registration first = t.add("kvm", "kvm_x86_ops", false, "", new Ops("kvm_intel"));
        t.add("kvm_amd", "kvm_x86_ops", false, "", new Ops(null));
        t.add("kvm_hv", "kvmppc_hv_ops", false, "", new Ops(null));
        t.add("kvm", "kvm_exit", false, "", new Object());
        assertEquals("kvm", t.find("kvm_x86_ops").owner());
        first.unregister();
        assertEquals("kvm_amd", t.find("kvm_x86_ops").owner());
        assertEquals(Map.of("kvm_x86_ops", "", "kvmppc_hv_ops", ""), t.opsOwners());
    }
}
