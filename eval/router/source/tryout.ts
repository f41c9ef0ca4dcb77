import { q, type SourceGroup } from './items';

/**
 * Requests written on 2026-12-02 by trying Auto as a new user would, outside
 * this set: 40 were written and their tier decided before they were scored,
 * and these are the ones that showed a fault (a misread feature or a wrong
 * tier): Spanish and Portuguese why-questions, "port", stack traces of Java,
 * Go, Rust, .NET and Python read as prose, a prefixed log, "consistent".
 * A family of its own, so adding it moved no earlier request between the
 * training and the held-out part.
 */

// Traces as the runtimes print them.
const py = `Traceback (most recent call last):
  File "/app/worker.py", line 88, in run
    result = pool.map(process, chunks)
  File "/usr/lib/python3.12/multiprocessing/pool.py", line 367, in map
    return self._map_async(func, iterable, mapstar, chunksize).get()
  File "/usr/lib/python3.12/multiprocessing/pool.py", line 774, in get
    raise self._value
_pickle.PicklingError: Can't pickle <function <lambda> at 0x7f2>: attribute lookup <lambda> on __main__ failed`;
const java = `Exception in thread "pool-3-thread-7" java.util.ConcurrentModificationException
\tat java.base/java.util.HashMap$HashIterator.nextNode(HashMap.java:1605)
\tat java.base/java.util.HashMap$KeyIterator.next(HashMap.java:1628)
\tat com.acme.cache.SessionCache.evictExpired(SessionCache.java:142)
\tat com.acme.cache.SessionCache.lambda$start$0(SessionCache.java:61)
\tat java.base/java.util.concurrent.Executors$RunnableAdapter.call(Executors.java:572)
\tat java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1144)
\tat java.base/java.lang.Thread.run(Thread.java:1583)`;
const javaNpe = `Exception in thread "main" java.lang.NullPointerException: Cannot invoke "String.length()" because "name" is null
\tat com.acme.Greeter.greet(Greeter.java:12)
\tat com.acme.Main.main(Main.java:5)`;
const go = `panic: runtime error: invalid memory address or nil pointer dereference
[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x4a2b1c]

goroutine 42 [running]:
main.(*Server).handle(0x0, {0x7f1c20, 0xc0001a4000}, 0xc0001b2000)
\t/home/dev/srv/server.go:87 +0x1c
net/http.HandlerFunc.ServeHTTP(0xc000012345, {0x7f1c20, 0xc0001a4000}, 0xc0001b2000)
\t/usr/local/go/src/net/http/server.go:2166 +0x29
created by net/http.(*Server).Serve in goroutine 1
\t/usr/local/go/src/net/http/server.go:3285 +0x4b4`;
const goDeadlock = `fatal error: all goroutines are asleep - deadlock!

goroutine 1 [chan receive]:
main.main()
\t/home/dev/pipe/main.go:31 +0x1a8

goroutine 18 [chan send]:
main.worker(0xc000020060, 0xc0000200c0, 0xc00001c0f0)
\t/home/dev/pipe/main.go:17 +0x85
created by main.main in goroutine 1
\t/home/dev/pipe/main.go:25 +0x8f`;
const rust = `thread 'tokio-runtime-worker' panicked at src/store.rs:214:38:
called \`Option::unwrap()\` on a \`None\` value
stack backtrace:
   0: rust_begin_unwind
             at /rustc/1f2e/library/std/src/panicking.rs:652:5
   1: core::panicking::panic
             at /rustc/1f2e/library/core/src/panicking.rs:145:5
   2: kvstore::store::Store::compact
             at ./src/store.rs:214:38
   3: kvstore::server::handle_conn::{{closure}}
             at ./src/server.rs:96:17`;
const rustBorrow = `error[E0502]: cannot borrow \`v\` as mutable because it is also borrowed as immutable
 --> src/main.rs:4:5
  |
3 |     let first = &v[0];
  |                  - immutable borrow occurs here
4 |     v.push(6);
  |     ^^^^^^^^^ mutable borrow occurs here
5 |     println!("{}", first);
  |                    ----- immutable borrow later used here`;
const csharp = `Unhandled exception. System.InvalidOperationException: Collection was modified; enumeration operation may not execute.
   at System.Collections.Generic.List\`1.Enumerator.MoveNext()
   at Billing.InvoiceService.ApplyCredits(Customer c) in C:\\src\\Billing\\InvoiceService.cs:line 77
   at Billing.Program.Main(String[] args) in C:\\src\\Billing\\Program.cs:line 14`;
const csharpDeadlock = `System.TimeoutException: The operation has timed out.
   at Orders.Api.OrderController.Get(Int32 id) in /src/Orders.Api/OrderController.cs:line 41
   at lambda_method(Closure , Object , Object[] )
   at Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.SyncActionResultExecutor.Execute(IActionResultTypeMapper mapper, ObjectMethodExecutor executor, Object controller, Object[] arguments)`;

const history = (user: string, assistant: string) => [user, assistant];

export const tryout: SourceGroup = {
  family: 'tryout',
  prefix: 'try',
  items: [
    q(3, 'concurrency', '¿Por qué se queda bloqueado mi programa cuando dos goroutines escriben en el mismo mapa?'),
    q(2, 'perf', 'por que mi consulta SQL tarda 30 segundos si la tabla tiene índice en user_id?', { why: 'a why-question without the accent' }),
    q(3, 'concurrency', 'porque mi servicio de pagos devuelve resultados distintos cuando lo llamo en paralelo?', { why: '"porque" typed for "why"' }),
    q(2, 'debug', 'porquê o consumo de memória do meu serviço Java cresce sem parar em produção?'),
    q(3, 'plan', 'Port our billing module from Python 2.7 to Python 3.12; it uses unicode/str mixing everywhere, old-style division and a C extension.', { why: 'porting a module is a migration, not a conversion' }),
    q(3, 'plan', 'We need to port the whole notification service from Express to Go without downtime. How should we approach it?'),
    q(0, 'lookup', 'What port does Redis listen on by default?'),
    q(0, 'lookup', 'How do I find which process is using port 5432 on macOS?', { why: 'a network port, not a conversion' }),
    q(1, 'debug', "Getting this when I run my script, what's wrong?\n" + py, { why: 'the exception names the cause (a lambda cannot be pickled)' }),
    q(3, 'concurrency', 'This happens a few times a day in production, only under load. Why?\n' + java),
    q(1, 'debug', 'fix this\n' + javaNpe, { why: 'the message says which value is null' }),
    q(1, 'debug', 'What does this panic mean?\n' + go, { why: 'explaining a nil dereference; the trace is not concurrent code' }),
    q(3, 'concurrency', goDeadlock + '\nthe pipeline works with 1 worker but deadlocks with 4, why'),
    q(3, 'concurrency', 'Intermittent panic under load, store compaction runs concurrently with reads:\n' + rust),
    q(1, 'debug', rustBorrow + '\nhow do I fix this?', { why: 'the compiler points at the fix' }),
    q(1, 'debug', 'Why does this throw?\n' + csharp, { why: 'modifying a list while enumerating it: the message says so' }),
    q(3, 'concurrency', 'Our ASP.NET API times out only when more than ~50 requests arrive at once; the controller calls .Result on an async repository method. Trace:\n' + csharpDeadlock, { why: 'sync over async: thread-pool starvation' }),
    q(3, 'design', 'How do I keep a Redis cache consistent with Postgres when several services write the same rows?'),
    q(1, 'debug', Array.from({ length: 30 }, (_, i) => `api_1  | ${i % 5 ? 'GET' : 'POST'} /v1/items/${i} ${i % 9 ? 200 : 500} ${10 + i}ms`).join('\n'), { why: 'a log pasted with no question: say what it shows' }),
    q(0, 'edit', 'ok now rename `acct` to `account` everywhere in that snippet', {
      history: history('Design the sharding scheme for our accounts table across 16 Postgres nodes.', 'Shard by hash of account_id ... ```sql\nCREATE TABLE acct (...)\n```'),
      why: 'a mechanical edit after a hard thread',
    }),
  ],
};
