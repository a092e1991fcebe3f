package org.kvmosgi.kernel.api.modinfo;

/** The kernel's standard parameter types (include/linux/moduleparam.h). */
public enum ParamType {
    BYTE("byte"), SHORT("short"), USHORT("ushort"), INT("int"), UINT("uint"),
    LONG("long"), ULONG("ulong"), ULLONG("ullong"), HEXINT("hexint"),
    CHARP("charp"), BOOL("bool"), INVBOOL("invbool");

    private final String cName;

    ParamType(String cName) {
        this.cName = cName;
    }

    /** The name modinfo prints after "parm:" ({@code (bool)}, {@code (uint)}, ...). */
    public String cName() {
        return cName;
    }
}
