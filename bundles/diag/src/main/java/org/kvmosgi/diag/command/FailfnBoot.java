package org.kvmosgi.diag.command;

import java.util.ArrayList;
import java.util.List;
import org.kvmosgi.diag.model.Points;
import org.kvmosgi.kernel.api.Errno;
import org.kvmosgi.kernel.api.syscall.Syscalls;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * fail_function from configuration: {@code fail_function.inject=POINT[,POINT...]} with
 * optional {@code fail_function.retval=ERRNO}, {@code .times=N}, {@code .probability=P},
 * {@code .interval=N}, {@code .seed=N} on the kernel command line ({@code ./kvmsh --cmdline})
 * are armed when the platform starts, as if typed with failfn. A model extension: Linux
 * configures fail_function through debugfs only.
 */
@Component(immediate = true, service = {})
public class FailfnBoot {
    static final String PREFIX = "fail_function.";

    @Reference
    Syscalls sys;

    @Activate
    void activate() {
        String cmdline = Quiet.read(sys, "/proc/cmdline");
        List<String> points = new ArrayList<>();
        String retval = null;
        String times = "1";
        String probability = "100";
        String interval = null;
        String seed = null;
        for (String word : cmdline.trim().split("\\s+")) {
            if (!word.startsWith(PREFIX) || word.indexOf('=') < 0) {
                continue;
            }
            String key = word.substring(PREFIX.length(), word.indexOf('='));
            String value = word.substring(word.indexOf('=') + 1);
            switch (key) {
                case "inject" -> points.addAll(List.of(value.split(",")));
                case "retval" -> retval = value;
                case "times" -> times = value;
                case "probability" -> probability = value;
                case "interval" -> interval = value;
                case "seed" -> seed = value;
                default -> {
                    // another fault_attr knob the model does not have: ignored as the kernel ignores unknown words
                }
            }
        }
        if (points.isEmpty()) {
            return;
        }
        Errno errno = retval == null ? Errno.EINVAL : Points.errno(retval);
        String ff = KernelAccess.FF;
        for (String p : points) {
            // a bad point or value is refused by debugfs like a failed echo; the rest still applies
            Quiet.write(sys, ff + "/inject", p);
            Quiet.write(sys, ff + "/" + p + "/retval", Integer.toString((errno == null ? Errno.EINVAL
                    : errno).neg()));
        }
        Quiet.write(sys, ff + "/probability", probability);
        Quiet.write(sys, ff + "/times", times);
        if (interval != null) {
            Quiet.write(sys, ff + "/interval", interval);
        }
        if (seed != null) {
            Quiet.write(sys, ff + "/seed", seed);
        }
    }
}
