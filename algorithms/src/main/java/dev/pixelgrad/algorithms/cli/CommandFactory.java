package dev.pixelgrad.algorithms.cli;

import picocli.CommandLine;

/**
 * Makes the objects picocli instantiates, handing the {@link VggSource} to each command whose
 * constructor takes one; everything else (other commands, mixins) picocli makes as usual.
 */
final class CommandFactory implements CommandLine.IFactory {
    private final VggSource network;

    CommandFactory(VggSource network) {
        this.network = network;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        try {
            return cls.getDeclaredConstructor(VggSource.class).newInstance(network);
        } catch (NoSuchMethodException loadsNoNetwork) {
            return CommandLine.defaultFactory().create(cls);
        }
    }
}
