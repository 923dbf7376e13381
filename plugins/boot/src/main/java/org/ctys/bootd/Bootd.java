package org.ctys.bootd;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import org.ctys.exit.CtysException;

/**
 * ctys-bootd, the boot server: {@code main} of {@code bin/ctys-bootd}. Serves in the foreground (for
 * systemd), checks its configuration, builds the recovery image, and runs the spool's job commands.
 * Its own messages are one line each on standard error.
 */
public final class Bootd {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int CONFIG = 3;

    static final String SYNOPSIS = "ctys-bootd [--config FILE] [--check | --build-image [--kernel VERSION]] [--help] [--version]";
    static final String JOB_SYNOPSIS = "ctys-bootd [--config FILE] job add|await|list|cancel ...";

    /** How long a client may take to send its request (headers and body), and to take the answer, in seconds. */
    static final String REQUEST_SECONDS = "30";
    static final String RESPONSE_SECONDS = "300";
    static final long EXPIRY_SWEEP_SECONDS = 5;

    /** The options as --help lists them; the man page ctys-bootd(8) is checked against this table. */
    static final String[][] OPTIONS = {
        {"--config FILE", "the configuration (default: /etc/ctys/bootd.yaml)"},
        {"--check", "read and check the configuration, the certificate, its key and the CA; print what would be served; exit"},
        {"--build-image", "build the recovery kernel and initrd into image: (Debian's kernel, busybox-static, openssl, the CA)"},
        {"--kernel VERSION", "with --build-image: the kernel of /boot to use (default: the running one, else the newest)"},
        {"--help", "this text"},
        {"--version", "the version"},
    };

    /** The job commands as --help lists them; checked against the man page too. */
    static final String[][] JOBS = {
        {"job add --machine NAME --mac MAC --via pxe|cdrom --limit DURATION [--keep]",
            "register a job; the script is read from standard input; prints {\"job\",\"machine\",\"via\",\"expires\"}"},
        {"job await ID [--limit DURATION]",
            "print the job's events as JSON lines (fetched, refused, done with exit and output, expired, cancelled) until it ends"},
        {"job list [--json]", "every job with its state, where it was fetched from, its exit status and refused requests"},
        {"job cancel ID", "revoke a job not yet fetched"},
    };

    /** Exit statuses as --help lists them. */
    static final String[][] STATUSES = {
        {"0", "stopped by SIGTERM or SIGINT; --check or --build-image went through; a job was added, cancelled, listed, or"
                + " ended done (await)"},
        {"1", "the image could not be built; a job was refused, not found, or ended expired or cancelled, or await's limit passed"},
        {"2", "usage error: nothing was started"},
        {"3", "the configuration, the certificate, its key or the CA is invalid, or a port cannot be listened on"},
    };

    private Bootd() {}

    public static void main(String[] args) {
        // the JDK's HTTP server reads these once: a client that sends slowly, or reads slowly, is cut off
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) System.setProperty("sun.net.httpserver.maxReqTime", REQUEST_SECONDS);
        if (System.getProperty("sun.net.httpserver.maxRspTime") == null) System.setProperty("sun.net.httpserver.maxRspTime", RESPONSE_SECONDS);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
        int status = run(args, System.in, out, err);
        System.exit(status);
    }

    static String help() {
        StringBuilder b = new StringBuilder("usage: " + SYNOPSIS + "\n       " + JOB_SYNOPSIS + "\n\n"
                + "The boot server of ctys: serves each machine's one-time script over HTTPS (the site's own CA) to the\n"
                + "machine that holds its job's token, takes the script's result back, and serves iPXE scripts and the\n"
                + "recovery kernel and initrd over plain HTTP. Jobs live in the spool; the job commands work on it directly.\n"
                + "SIGTERM or SIGINT stops.\n\noptions:\n");
        for (String[] o : OPTIONS) b.append(String.format("  %-24s %s%n", o[0], o[1]));
        b.append("\njob commands:\n");
        for (String[] j : JOBS) b.append(String.format("  %s%n      %s%n", j[0], j[1]));
        b.append("\nexit status:\n");
        for (String[] s : STATUSES) b.append(String.format("  %-3s %s%n", s[0], s[1]));
        return b.toString();
    }

    static String version() {
        String v = Bootd.class.getPackage().getImplementationVersion();
        return "ctys-bootd " + (v != null ? v : "0.1.0");
    }

    /** Runs one command line to its end: its exit status. */
    static int run(String[] argv, InputStream in, PrintStream out, PrintStream err) {
        Say say = new Say(err);
        BootdArgs args;
        try {
            args = BootdArgs.parse(argv);
        } catch (CtysException e) {
            say.line(e.getMessage());
            err.println("usage: " + SYNOPSIS);
            err.println("       " + JOB_SYNOPSIS);
            err.println("Try 'ctys-bootd --help'");
            return USAGE;
        }
        if (args.mode() instanceof BootdArgs.Help) {
            out.print(help());
            return OK;
        }
        if (args.mode() instanceof BootdArgs.Version) {
            out.println(version());
            return OK;
        }
        Path file = args.config() != null ? args.config() : BootdConfig.DEFAULT_FILE;
        try {
            byte[] script = args.mode() instanceof BootdArgs.Add ? JobCommands.script(in) : null;
            BootdConfig config = BootdConfigReader.read(file);
            JobStore store = new JobStore(config, Clock.systemUTC(), new IsoImage(config.image(), config.console()));
            JobCommands jobs = new JobCommands(store, out, say);
            BootdArgs.Mode m = args.mode();
            if (m instanceof BootdArgs.Add a) return jobs.add(a, script);
            if (m instanceof BootdArgs.Await a) return jobs.await(a.id(), a.limit());
            if (m instanceof BootdArgs.ListJobs l) return jobs.list(l.json());
            if (m instanceof BootdArgs.Cancel c) return jobs.cancel(c.id());
            if (m instanceof BootdArgs.Check) return check(config, out);
            if (m instanceof BootdArgs.BuildImage b) return buildImage(config, b, out, say);
            return serve(config, store, say);
        } catch (CtysException e) {
            say.line(e.getMessage());
            return e.status().code();
        } catch (IOException e) {
            say.line("spool: " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        }
    }

    private static int check(BootdConfig c, PrintStream out) {
        ServerIdentity id = ServerIdentity.load(c);
        out.println(c.file() + ": valid; https " + c.https() + " as " + c.name() + " (certificate signed by "
                + id.ca().getSubjectX500Principal().getName() + "), http " + c.http() + "; machines reach it at " + c.address()
                + "; spool " + c.spool() + ", image " + c.image());
        return OK;
    }

    private static int buildImage(BootdConfig c, BootdArgs.BuildImage b, PrintStream out, Say say) {
        try {
            out.println(RecoveryImage.build(c.image(), c.ca(), c.name(), b.kernel()));
            return OK;
        } catch (IllegalStateException e) {
            say.line(e.getMessage()); // a package or file the image needs is missing: the machine's configuration
            return CONFIG;
        } catch (IOException e) {
            say.line("cannot build the recovery image: " + e.getMessage());
            return FAILED;
        }
    }

    private static int serve(BootdConfig c, JobStore store, Say say) throws InterruptedException {
        ServerIdentity id = ServerIdentity.load(c);
        BootServer server = new BootServer(c, store, say);
        try {
            JobStore.createPrivateDirectory(c.jobs());
            server.start(id.sslContext());
        } catch (IOException e) {
            server.stop();
            throw CtysException.config("cannot listen on " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM (systemd) and SIGINT end the daemon cleanly, with status 0
        for (String sig : new String[] {"TERM", "INT"}) sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> stopped.countDown());
        say.line("listening on https " + c.https().host() + ":" + server.httpsPort() + " as " + c.name() + ", http "
                + c.http().host() + ":" + server.httpPort() + "; machines reach it at " + c.address() + "; spool " + c.spool());
        // expiry is also checked on every request; the sweep takes a token out of pxe-token and a CD image
        // soon after its job's end even when no machine asks
        java.util.concurrent.ScheduledExecutorService sweep = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ctys-bootd-expiry");
            t.setDaemon(true);
            return t;
        });
        sweep.scheduleWithFixedDelay(() -> {
            try {
                store.list();
            } catch (IOException | RuntimeException e) {
                say.line("spool: " + e.getMessage());
            }
        }, EXPIRY_SWEEP_SECONDS, EXPIRY_SWEEP_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        stopped.await();
        say.line("stopping");
        sweep.shutdownNow();
        server.stop();
        return OK;
    }
}
