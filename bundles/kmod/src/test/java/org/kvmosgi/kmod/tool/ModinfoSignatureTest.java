package org.kvmosgi.kmod.tool;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.junit.Test;

/** modinfo's signer fields as kmod prints them (kmod_module_hex_to_str, kmod_module_get_info). */
public class ModinfoSignatureTest {
    @Test
    public void hexIsUpperCaseColonSeparatedWithABreakAfterEveryTwentyBytes() {
        assertEquals("", Modinfo.hex(new byte[0]));
        assertEquals("0A", Modinfo.hex(new byte[] {10}));
        byte[] b = new byte[21];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (0xf0 + i);
        }
        assertEquals("F0:F1:F2:F3:F4:F5:F6:F7:F8:F9:FA:FB:FC:FD:FE:FF:00:01:02:03:\n\t\t04", Modinfo.hex(b));
        // exactly twenty: no break after the last byte
        assertEquals(59, Modinfo.hex(new byte[20]).length());
    }

    @Test
    public void anUnsignedModuleHasNoSignerFields() {
        assertEquals(List.of(), Modinfo.signatureFields(null));
    }
}
