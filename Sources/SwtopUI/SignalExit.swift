#if canImport(Glibc)
import Glibc
#endif
import CNcursesw

/// SIGTERM, SIGINT, SIGHUP and SIGQUIT end the screen with the terminal restored and exit
/// status 128 + signal. Installed after newterm, so ncurses' own handlers (SIGWINCH, SIGTSTP)
/// stay as they are. The handler only restores the terminal and exits: it never returns into
/// a half-drawn frame.
public enum SignalExit {
    public static let signals: [Int32] = [SIGTERM, SIGINT, SIGHUP, SIGQUIT]

    public static func install() {
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { received in
                endwin()
                _exit(128 + received)
            }
            sigemptyset(&action.sa_mask)
            // A second signal must not run endwin again while the first handler is inside it.
            for other in signals { sigaddset(&action.sa_mask, other) }
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
        // A parent may have started swtop with these blocked; they must still end it.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for signal in signals { sigaddset(&unblock, signal) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }

}
