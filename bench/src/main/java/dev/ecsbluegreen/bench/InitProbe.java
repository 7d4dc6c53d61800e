package dev.ecsbluegreen.bench;

/**
 * What a function's init loads: loads and constructs one handler class, as the runtime client does before its first
 * {@code /next}, and exits. {@code bench/init-classes} runs it with {@code -Xlog:class+load} and counts the classes.
 */
public final class InitProbe {
    private InitProbe() {}

    public static void main(String[] args) throws ReflectiveOperationException {
        if (args.length != 1) {
            System.err.println("usage: InitProbe HANDLER_CLASS");
            System.exit(2);
        }
        Class.forName(args[0]).getConstructor().newInstance();
    }
}
