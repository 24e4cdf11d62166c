// Package opinion maps statement votes (agree / disagree / pass) to opinion
// groups ("kelompok opini"), the way Pol.is does, and summarises what each
// group stands for and where the groups agree.
//
// The method follows Small, Bjorkegren, Erkkilä, Shaw and Megill, "Polis:
// Scaling Deliberation by Mapping High Dimensional Opinion Spaces", Recerca
// 26(2), 2021, and the Clojure implementation in the Pol.is math repository
// (github.com/compdemocracy/polis, math/src/polismath/math: conversation.clj,
// pca.clj, clusters.clj, repness.clj, stats.clj):
//
//  1. Votes form a participant × statement matrix (agree 1, disagree -1,
//     pass 0, missing blank). A later vote by the same participant on the
//     same statement replaces an earlier one.
//  2. Missing cells are imputed with the statement's mean vote, so the
//     centred matrix holds vote−mean where a vote exists and 0 elsewhere.
//  3. The first two principal components are found by orthogonal (power)
//     iteration over all participants, as Pol.is's powerit-pca does.
//  4. Each participant is projected using only the statements they voted on
//     and the projection is scaled by sqrt(nStatements / nVoted), Pol.is's
//     sparsity-aware projection, which pushes sparse voters out from the
//     centre instead of leaving them piled up at the origin.
//  5. Only participants with at least Options.MinVotes votes (default 7,
//     capped by the number of statements) are clustered, by k-means for
//     k = 2..min(MaxK, 2+n/12); the k with the best silhouette wins
//     (Rousseeuw's coefficient, as in Pol.is), a larger k only when it
//     scores at least 0.01 higher. Unlike Pol.is, participants are
//     clustered directly rather than through 100 "base clusters", which
//     made the split depend on the seed (see findGroups); the silhouette
//     is scored on an evenly spaced sample of at most 2,000 participants
//     so its O(n²) cost stays bounded. k-means is seeded with k-means++
//     (Arthur and Vassilvitskii, SODA 2007) from Options.Seed and
//     restarted several times, so results are deterministic for a given
//     input and seed.
//  6. Groups smaller than Options.MinGroupSize (default 3, never below 2)
//     are merged into the nearest group: a group of one would publish one
//     person's votes.
//  7. Representative statements ("repness"), group-informed consensus and
//     majority opinions use Pol.is's pseudocount-smoothed probabilities
//     (n+1)/(N+2) and its one- and two-proportion z tests at 90% one-sided
//     significance (z > 1.2816).
//
// When no groups can be published, Result.Reason holds a stable key (see
// the Reason constants) that the caller translates ("belum cukup data").
// No field of a Result is ever NaN or ±Inf, so it always encodes as JSON.
//
// Concurrency: Compute is a pure function of its arguments; it keeps no
// state between calls and may be called from many goroutines at once.
package opinion
