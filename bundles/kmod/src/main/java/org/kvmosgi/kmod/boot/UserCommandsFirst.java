package org.kvmosgi.kmod.boot;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.CommandSessionListener;
import org.osgi.service.component.annotations.Component;

/**
 * Makes {@code cat}, {@code ls} and the other tool names mean the model's tools in a
 * shell session. Gogo resolves an unscoped name through the session's {@code SCOPE}
 * variable (its PATH); with none set it takes whichever {@code *:name} its command table
 * yields first, so {@code cat} could be Gogo's {@code gogo:cat} reading host files. A
 * session that has no {@code SCOPE} gets {@code kmod:*}: the tools first, every other
 * command as before. A session that sets its own SCOPE keeps it.
 */
@Component
public class UserCommandsFirst implements CommandSessionListener {
    static final String SCOPE = "SCOPE";
    static final String PATH = "kmod:*";

    @Override
    public void beforeExecute(CommandSession session, CharSequence commandline) {
        if (session.get(SCOPE) == null) {
            session.put(SCOPE, PATH);
        }
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence commandline, Exception exception) {
        // nothing to undo: the variable stays for the session's next commands
    }

    @Override
    public void afterExecute(CommandSession session, CharSequence commandline, Object result) {
        // nothing to undo
    }
}
