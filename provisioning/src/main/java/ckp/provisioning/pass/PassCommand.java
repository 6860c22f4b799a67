package ckp.provisioning.pass;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kioskctl pass}: bench tools for CKP1 passes (keygen, issue, verify). */
@Command(name = "pass", mixinStandardHelpOptions = true, description = "Make and check CKP1 passes at the bench.")
public final class PassCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 2;
    }
}
