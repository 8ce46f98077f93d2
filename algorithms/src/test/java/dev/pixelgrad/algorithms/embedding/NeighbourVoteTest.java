package dev.pixelgrad.algorithms.embedding;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NeighbourVoteTest {
    @Test
    void twoSeparatedClustersAreRightAndMixedOnesAreNot() {
        double[][] x = {{0, 0}, {0, 1}, {1, 0}, {10, 10}, {10, 11}, {11, 10}};
        assertEquals(1.0, NeighbourVote.accuracy(x, List.of("a", "a", "a", "b", "b", "b"), 2));
        // labels across the clusters: each point's two nearest are its cluster, which holds the other label twice or once
        assertEquals(0.0, NeighbourVote.accuracy(x, List.of("a", "b", "b", "b", "a", "a"), 2), 1e-12);
    }
}
