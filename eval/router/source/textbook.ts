import { q, type SourceGroup } from './items';

/**
 * Textbook maths written in notation, the way school and first-year exercises
 * ask ("find all x such that…", "for which x…", "solve…"). Added 2026-12-02
 * after the fourth tryout: 10 of the 18 training requests in notation were
 * competition problems, and "find all" and "such that" are how those ask, so
 * "If f(x) = x^2 - 5x + 6, find all x such that f(x) = 0." went strong. Mostly
 * level 1-2, with genuine competition problems asked the same way so that the
 * model does not learn "notation means cheap" either. Levels follow the rubric
 * (level 1: a textbook concept applied once; level 2: five or more dependent
 * steps or a trap; level 3: competition mathematics, proofs); written, and
 * their levels decided and committed, before any was scored.
 */
export const textbook: SourceGroup = {
  family: 'textbook',
  prefix: 'text',
  items: [
    // one fact or one operation
    q(0, 'arithmetic', 'What is 2^10?'),
    q(0, 'arithmetic', 'If g(x) = 4x - 1, what is g(3)?'),
    q(0, 'arithmetic', 'Simplify x^3 * x^4.'),
    q(0, 'arithmetic', 'Find x such that 3x = 21.'),
    // a textbook procedure applied once
    q(1, 'arithmetic', 'If f(x) = x^2 - 9, find all x such that f(x) = 0.'),
    q(1, 'arithmetic', 'Find all x such that x^2 + 4x + 3 = 0.'),
    q(1, 'arithmetic', 'Let f(x) = 2x + 3. Find all x such that f(x) = 11.'),
    q(1, 'arithmetic', 'Find all real x with x^2 = 6x - 8.'),
    q(1, 'arithmetic', 'Find all x such that 2x - 7 > 5.'),
    q(1, 'arithmetic', 'If p(x) = x^2 - x - 12, for which x is p(x) = 0?'),
    q(1, 'arithmetic', 'Solve 3^x = 81 for x.'),
    q(1, 'arithmetic', 'Find the vertex of y = x^2 - 4x + 1.'),
    q(1, 'arithmetic', 'Given f(x) = 3x^2 - 2x, find f\'(x) and f\'(1).'),
    q(1, 'arithmetic', 'Find all x such that |x - 3| = 5.'),
    q(1, 'arithmetic', 'If f(x) = x + 2 and g(x) = x^2, find f(g(3)).'),
    q(1, 'arithmetic', 'Let h(x) = x^2 - 2x - 15. Find the zeros of h.'),
    q(1, 'arithmetic', 'Find the inverse of f(x) = (x - 1)/2.'),
    q(1, 'arithmetic', 'Find all x such that log_2(x) = 5.'),
    // a trap or several dependent steps
    q(2, 'arithmetic', 'Find all x such that x^4 - 5x^2 + 4 = 0.'),
    q(2, 'arithmetic', 'Find all real x such that sqrt(2x + 3) = x, and check for extraneous solutions.'),
    q(2, 'arithmetic', 'Find all x with (x - 1)/(x + 2) < 0.'),
    q(2, 'arithmetic', 'If f(x) = x^3 - 3x^2 - 9x + 5, find all x where f has a local maximum or minimum and classify each.'),
    q(2, 'arithmetic', 'Find all x in [0, 2π) such that 2sin^2(x) - sin(x) - 1 = 0.'),
    q(2, 'arithmetic', 'Solve log(x) + log(x - 3) = 1 for x, rejecting any value outside the domain.'),
    q(2, 'arithmetic', 'For which values of m does x^2 - 2mx + m + 6 = 0 have a double root? Find the root in each case.'),
    q(2, 'arithmetic', 'Find all x such that e^(2x) - 5e^x + 6 = 0.'),
    // competition problems, asked the same way
    q(3, 'competition', 'Find all functions f: R -> R such that f(x + y) = f(x) + f(y) + 2xy for all real x, y, with f continuous.'),
    q(3, 'competition', 'Find all positive integers n such that n^2 + 2^n is a perfect square.'),
    q(3, 'competition', 'Find all real x such that x^3 - 3x = sqrt(x + 2), and prove there are no others.'),
    q(3, 'competition', 'Find all pairs of integers (x, y) such that x^2 - 2y^2 = 1 and 0 < x < 100.'),
    q(3, 'competition', 'If f(x) = x^2 + ax + b has integer roots and f(1) + f(2) = 30, find all possible (a, b).'),
    q(3, 'competition', 'Find all primes p such that p^2 + 2 is also prime, and prove your answer.'),
  ],
};
