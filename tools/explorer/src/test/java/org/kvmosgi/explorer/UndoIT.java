package org.kvmosgi.explorer;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/**
 * The undo of a step on the model kernel of kvm-x86 (intel): siblings run one after the
 * other on one runner, each after its elder's step was undone (a load that succeeded, a
 * load refused, an armed point that fired, a VM's creation), see exactly what each sees
 * from a reset and a replay of its prefix on a second model: the lines and statuses, the
 * violations of the check, the state, and dmesg (timestamps and addresses blanked, as the
 * oracle blanks them).
 */
public class UndoIT {
    private static final Op INTEL = Op.load("kvm_intel");
    private static final Op ARM = Op.arm("kvm_intel:hardware_setup");

    private static Platform boot(String name) throws Exception {
        Path home = Path.of(System.getProperty("kvmosgi.home"));
        return Main.bootModel(home, List.of("kvm-x86"), "intel", Files.createTempDirectory(Path.of("target"), name));
    }

    private static String seen(SequenceRunner.Outcome o) {
        return o.lines() + "\n" + o.statuses() + "\n" + o.violations() + "\n" + o.state().key(true) + "\n"
                + Oracle.blank(o.dmesg());
    }

    @Test
    public void aSiblingAfterAnUndoneStepSeesWhatAResetAndAReplayShowIt() throws Exception {
        Platform undoing = boot("undo-a");
        Platform replaying = boot("undo-b");
        List<List<Op>> siblings = new ArrayList<>();
        for (List<Op> prefix : List.of(List.of(INTEL), List.of(ARM), List.of(Op.load("kvm")), List.of(INTEL,
                Op.vmCreate(0)))) {
            for (Op op : List.of(Op.load("kvm_amd"), INTEL, Op.load("kvm"), Op.vmCreate(0), Op.unload("kvm"), ARM,
                    Op.unload("kvm_intel"), Op.load("kvm_amd"), Op.vmCreate(0), INTEL)) {
                if (op != ARM || !prefix.contains(ARM)) {
                    // one point armed at a time, as the explorer offers them
                    List<Op> ops = new ArrayList<>(prefix);
                    ops.add(op);
                    siblings.add(ops);
                }
            }
        }
        DirectRunner runner = new DirectRunner(undoing);
        for (List<Op> ops : siblings) {
            SequenceRunner.Outcome o = runner.run(ops);
            assertEquals(ops.toString(), seen(new DirectRunner(replaying).run(ops)), seen(o));
        }
        assertTrue("undone: " + runner.undone(), runner.undone() >= 15);
        assertEquals(0, runner.undoFellBack());
    }
}
