package org.kvmosgi.kernel.module;

/** enum module_state, with the words /proc/modules and initstate use. */
public enum ModuleState {
    LIVE("Live", "live"),
    COMING("Loading", "coming"),
    GOING("Unloading", "going"),
    UNFORMED(null, null);

    private final String proc;
    private final String initstate;

    ModuleState(String proc, String initstate) {
        this.proc = proc;
        this.initstate = initstate;
    }

    /** The state column of /proc/modules. */
    public String proc() {
        return proc;
    }

    /** /sys/module/NAME/initstate. */
    public String initstate() {
        return initstate;
    }
}
