import { q, type SourceGroup } from './items';

/**
 * Maths written in notation (equations, f(x), exponents), textbook exercises
 * and competition problems alike. Added 2026-12-02: every request of the set
 * written in notation was a competition problem, so the model learnt
 * "notation means hard" and sent "If f(x) = x^2 - 5x + 6, find all x with
 * f(x) = 0." strong. The levels follow the rubric: a textbook procedure applied
 * once is level 0 or 1 however it is written; a trap, a case analysis or a
 * proof is level 2 or 3. Written, and their levels decided, before any was scored.
 */
export const notation: SourceGroup = {
  family: 'notation',
  prefix: 'nota',
  items: [
    // one step
    q(0, 'arithmetic', 'Solve for x: 2x + 5 = 17.'),
    q(0, 'arithmetic', 'What is 3^4?'),
    q(0, 'arithmetic', 'Simplify 2(x + 3) - x.'),
    q(0, 'arithmetic', 'Evaluate f(2) for f(x) = x^2 + 1.'),
    q(0, 'arithmetic', 'Expand x(x - 4).'),
    q(0, 'arithmetic', 'What is the slope of y = 3x - 2?'),
    // a textbook procedure applied once
    q(1, 'arithmetic', 'Solve x^2 - 7x + 10 = 0.'),
    q(1, 'arithmetic', 'Factor 2x^2 + 5x - 3.'),
    q(1, 'arithmetic', 'Find the derivative of f(x) = x^3 - 6x^2 + 4.'),
    q(1, 'arithmetic', 'Solve the system 2x + y = 7 and x - y = 2.'),
    q(1, 'arithmetic', 'Find the x-intercepts of y = x^2 - 2x - 8.'),
    q(1, 'arithmetic', 'Solve 5^(2x) = 125.'),
    q(1, 'arithmetic', 'If h(t) = -5t^2 + 20t, at what time t > 0 is h(t) = 0?'),
    q(1, 'arithmetic', 'Find the integral of 4x^3 + 2x from 0 to 1.'),
    // a trap or several dependent steps
    q(2, 'competition', 'Solve sqrt(x + 7) = x - 5 and reject any extraneous roots.'),
    q(2, 'competition', 'Find all real x with |x^2 - 4| = 3x, checking each case.'),
    q(2, 'competition', 'For which k does x^2 + kx + 9 = 0 have two distinct real roots, and what are the roots when k = 10?'),
    q(2, 'competition', 'Find the sum of 1/(n(n + 1)) for n = 1 to 99, showing the telescoping.'),
    // competition problems
    q(3, 'competition', 'Find all integers n such that n^2 + 3n + 7 divides n^3 + 5.'),
    q(3, 'competition', 'Let a and b be real with a + b = 5 and a^3 + b^3 = 35. Find a^5 + b^5.'),
    q(3, 'proof', 'Prove that n^5 - n is divisible by 30 for every integer n.'),
    q(3, 'competition', 'Find the smallest positive integer n such that 2^n ≡ 1 (mod 125).'),
    q(3, 'competition', 'How many ordered triples (x, y, z) of non-negative integers satisfy x + 2y + 3z = 30?'),
    q(3, 'competition', 'Find the maximum of xy + yz + zx given x^2 + y^2 + z^2 = 1, and prove it is the maximum.'),
  ],
};
