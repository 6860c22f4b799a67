package ckp.provisioning;

import ckp.provisioning.aim.AimCommand;
import ckp.provisioning.pass.PassCommand;
import ckp.provisioning.provision.ProvisionCommand;
import ckp.provisioning.selftest.SelftestCommand;
import ckp.provisioning.site.SiteCommand;
import ckp.provisioning.status.StatusCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code kioskctl}: the technician's tool for installing, provisioning, testing and inspecting a kiosk. */
@Command(name = "kioskctl", mixinStandardHelpOptions = true, versionProvider = KioskCtl.Version.class,
        description = "Technician tool for checkpoint kiosks.",
        subcommands = {AimCommand.class, PassCommand.class, ProvisionCommand.class, SelftestCommand.class, SiteCommand.class, StatusCommand.class})
public final class KioskCtl implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call {@code execute} on it to run commands in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new KioskCtl());
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 2;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = KioskCtl.class.getPackage().getImplementationVersion();
            return new String[] {"kioskctl " + (v == null ? "dev" : v)};
        }
    }
}
