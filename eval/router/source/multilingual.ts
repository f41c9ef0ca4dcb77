import { q, snip, type SourceGroup } from './items';

/**
 * Coding requests written in French, German, Spanish, Portuguese, Chinese and
 * Japanese, labelled by the same rubric as the English ones (the level
 * follows what is asked, not the language). Easy and hard requests in each
 * language, so the language itself says nothing; French "comment" ("how")
 * opens easy and hard questions alike.
 */
export const multilingual: SourceGroup = {
  family: 'multilingual',
  prefix: 'lang',
  items: [
    // --- French ---
    q(0, 'edit', 'Comment renommer une variable dans tout le fichier avec VS Code ?', { why: 'French "comment" is "how": a lookup, not a code comment' }),
    q(0, 'lookup', 'Comment quitter vim sans enregistrer ?'),
    q(0, 'edit', 'Ajoute des commentaires à cette fonction, en français.', { attach: [snip('py_sum_evens')] }),
    q(1, 'explain', 'Explique-moi ce que fait ce code, ligne par ligne.', { attach: [snip('ts_debounce')] }),
    q(3, 'concurrency', 'Pourquoi ce code provoque-t-il un interblocage de temps en temps ? Les deux fonctions tournent en parallèle dans des threads différents.', { attach: [snip('py_lock_order')] }),
    q(3, 'concurrency', 'Comment éviter une situation de concurrence entre deux processus qui lisent puis écrivent le même solde dans Postgres, sans verrou global ?', { why: 'read-modify-write across processes; "comment" opens a hard question' }),
    q(3, 'design', "Concevez l'architecture d'un système de réservation distribué : 3 régions, pas de double réservation, cohérence forte pour les paiements seulement. Quels compromis ?"),
    q(3, 'security', "Fais une revue de sécurité de ce point d'accès de connexion : injection, fuite d'informations, attaques temporelles.", { attach: [snip('py_flask_login')] }),
    q(2, 'perf', 'Cette requête prend 40 secondes sur 2 millions de clients. Comment la rendre rapide ?', { attach: [snip('sql_slow_query')] }),
    q(3, 'proof', "Prouvez que cette boucle termine pour toutes les entrées positives, ou donnez un contre-exemple, avec un invariant.", { attach: [snip('py_reduce_loop')] }),
    q(1, 'test', 'Écris des tests unitaires pytest pour cette fonction.', { attach: [snip('py_sum_evens')] }),
    q(0, 'convert', 'Convertis ce JSON en YAML : {"nom": "app", "port": 8080, "debug": true}'),

    q(0, 'lookup', 'Comment afficher la version de Node installée ?'),
    q(1, 'debug', "J'ai `ModuleNotFoundError: No module named 'requests'` alors que je l'ai installé avec pip. J'utilise un venv dans VS Code.", { why: 'interpreter selection: common' }),
    q(0, 'write', 'Écris une regex qui reconnaît une couleur hexadécimale comme #fff ou #a1b2c3.'),
    q(1, 'explain', 'Quelle est la différence entre let et const en JavaScript ?'),
    q(0, 'edit', 'Trie les imports de ce fichier par ordre alphabétique.', { attach: [snip('ts_user_service')] }),

    // --- German ---
    q(3, 'concurrency', 'Warum verklemmen sich meine zwei Threads, wenn beide die Sperren in umgekehrter Reihenfolge nehmen? Wie behebe ich das sauber?', { why: 'the deadlock question of the closing note, in German' }),
    q(3, 'concurrency', 'Dieser Worker-Pool hängt manchmal für immer. Warum?', { attach: [snip('go_worker_pool')] }),
    q(0, 'edit', 'Benenne die Variable x in total um.', { attach: [snip('py_sum_evens')] }),
    q(0, 'lookup', 'Was ist der Befehl, um einen Git-Branch zu löschen?'),
    q(1, 'explain', 'Erkläre mir bitte, was diese Funktion macht.', { attach: [snip('ts_format_date')] }),
    q(3, 'design', 'Wie entwerfe ich eine skalierbare Architektur für ein verteiltes Bestellsystem mit Event Sourcing? Welche Abwägungen gibt es bei der Konsistenz?'),
    q(3, 'security', 'Prüfe diesen Code auf Sicherheitslücken: SQL-Injektion, fehlende Authentifizierung, Geheimnisse im Log.', { attach: [snip('java_spring_controller')] }),
    q(2, 'perf', 'Die Funktion ist bei 50.000 Terminen viel zu langsam. Wie bekomme ich sie auf O(n log n)?', { attach: [snip('ts_interval_tree')] }),
    q(3, 'plan', 'Plane die Migration unserer Benutzerdaten von MongoDB nach Postgres ohne Ausfallzeit, schrittweise und abwärtskompatibel.'),
    q(0, 'write', 'Schreibe eine Funktion, die prüft, ob eine Zeichenkette ein Palindrom ist.'),
    q(2, 'debug', 'Die kürzesten Wege sind bei manchen Graphen falsch, aber nur, wenn mehrere Kanten in denselben Knoten führen. Was ist falsch?', { attach: [snip('py_dijkstra')] }),

    q(0, 'lookup', 'Wie lautet die Syntax für eine Lambda-Funktion in Python?'),
    q(1, 'debug', 'TypeScript meldet: Type \'string | undefined\' is not assignable to type \'string\'. Wie behebe ich das?', { why: 'standard narrowing fix' }),
    q(0, 'convert', 'Wandle diese Liste in ein JSON-Array um: Äpfel, Birnen, Kirschen'),
    q(1, 'test', 'Schreibe Unittests mit Jest für diese Funktion.', { attach: [snip('ts_format_date')] }),

    // --- Spanish ---
    q(3, 'concurrency', '¿Por qué este código tiene una condición de carrera? Los contadores salen más bajos que el número de visitas cuando hay muchos hilos.', { attach: [snip('py_race_counter')] }),
    q(3, 'concurrency', 'Bajo carga esto bloquea otras peticiones durante segundos. ¿Por qué? Usamos tokio con un mutex.', { attach: [snip('rust_tokio_mutex')] }),
    q(0, 'edit', 'Renombra la función getUser a fetchUser en este archivo.', { attach: [snip('ts_user_service')] }),
    q(0, 'lookup', '¿Cuál es la sintaxis de una list comprehension en Python?'),
    q(1, 'explain', 'Explica qué hace este decorador.', { attach: [snip('py_decorator')] }),
    q(3, 'design', 'Diseña un sistema de colas distribuido con entrega exactamente una vez en efecto. ¿Qué compensaciones hay entre consistencia y disponibilidad?'),
    q(3, 'security', 'Revisa la seguridad de este login: ¿hay vulnerabilidades de inyección o de autenticación?', { attach: [snip('py_flask_login')] }),
    q(2, 'perf', 'Esta consulta es muy lenta con 2 millones de filas. ¿Cómo optimizar el rendimiento?', { attach: [snip('sql_slow_query')] }),
    q(0, 'write', 'Escribe una expresión regular para validar un correo electrónico.'),
    q(2, 'refactor', 'Refactoriza este servicio para separar el acceso a datos de la lógica, sin cambiar su comportamiento.', { attach: [snip('ts_user_service')] }),

    q(0, 'lookup', '¿Qué comando muestra los contenedores de Docker detenidos?'),
    q(1, 'explain', '¿Qué hace este código y por qué usa un Map?', { attach: [snip('py_dedupe')] }),
    q(0, 'edit', 'Añade comentarios JSDoc a esta función.', { attach: [snip('ts_debounce')] }),
    q(1, 'debug', 'Todos los botones abren el último panel, ¿por qué?', { attach: [snip('js_closure_loop')], why: 'classic var-in-loop closure' }),

    // --- Portuguese ---
    q(3, 'concurrency', 'Por que este código entra em impasse às vezes? As duas funções rodam em paralelo em threads diferentes.', { attach: [snip('java_bank_transfer')] }),
    q(0, 'edit', 'Renomeie a variável data para rows neste arquivo.', { attach: [snip('py_csv_parse')] }),
    q(0, 'lookup', 'Qual é o comando para desfazer o último commit no git?'),
    q(1, 'explain', 'Explique o que este código faz.', { attach: [snip('js_event_loop')] }),
    q(3, 'design', 'Como projetar a arquitetura de um sistema de pagamentos distribuído com consistência forte e tolerância a falhas? Quais são as vantagens e desvantagens?'),
    q(3, 'security', 'Faça uma revisão de segurança deste código: vulnerabilidades de injeção, autenticação e autorização.', { attach: [snip('go_http_handler')] }),
    q(2, 'perf', 'A aplicação fica lenta e o uso de memória cresce sem parar. Onde está o gargalo?', { attach: [snip('go_goroutine_leak')] }),
    q(0, 'write', 'Escreva uma função que some os números pares de uma lista.'),
    q(3, 'proof', 'Prove que o algoritmo termina e que a complexidade é O(n log n).', { attach: [snip('ts_interval_tree')] }),

    q(0, 'convert', 'Converta este YAML para JSON: nome: app, porta: 8080'),
    q(1, 'debug', 'Por que todos os meus carrinhos compartilham os mesmos itens?', { attach: [snip('py_mutable_default')], why: 'classic mutable default argument' }),
    q(0, 'lookup', 'O que significa o operador ?? em JavaScript?'),
    q(1, 'explain', 'Explique a diferença entre == e === em JavaScript.'),

    // --- Chinese ---
    q(3, 'concurrency', '为什么两个线程以相反的顺序获取锁时会死锁？怎么从根本上解决？'),
    q(3, 'concurrency', '这个工作池有时会永远卡住，为什么？', { attach: [snip('go_worker_pool')] }),
    q(0, 'edit', '把这个函数重命名为 fetchUser。', { attach: [snip('ts_user_service')] }),
    q(0, 'lookup', 'Python 里列表推导式的语法是什么？'),
    q(1, 'explain', '请解释这段代码是做什么的。', { attach: [snip('ts_debounce')] }),
    q(3, 'design', '设计一个分布式订单系统的架构：三个地区，支付要求强一致性，其他可以最终一致。有哪些权衡？'),
    q(3, 'security', '请对这个登录接口做安全审查：注入漏洞、认证问题、时序攻击。', { attach: [snip('py_flask_login')] }),
    q(2, 'perf', '这个查询在两百万行数据上要四十秒，怎么优化性能？', { attach: [snip('sql_slow_query')] }),
    q(0, 'write', '写一个检查字符串是否为回文的函数。'),
    q(3, 'proof', '证明这个循环对所有正整数输入都会终止，或者给出反例。', { attach: [snip('py_reduce_loop')] }),

    q(0, 'convert', '把这段 JSON 转换成 YAML：{"name": "app", "port": 8080}'),
    q(1, 'debug', '为什么所有按钮都打开最后一个面板？', { attach: [snip('js_closure_loop')], why: 'classic var-in-loop closure' }),
    q(0, 'edit', '给这个函数加上注释。', { attach: [snip('py_sum_evens')] }),
    q(1, 'explain', 'let 和 const 有什么区别？'),

    // --- Japanese ---
    q(3, 'concurrency', '2つのスレッドが逆の順序でロックを取るとなぜデッドロックするのですか？根本的な直し方も教えてください。'),
    q(3, 'concurrency', 'このコードはスレッドセーフですか？', { attach: [snip('java_double_checked')] }),
    q(0, 'edit', 'この変数の名前を total にリネームしてください。', { attach: [snip('py_sum_evens')] }),
    q(0, 'lookup', 'git でブランチを削除するコマンドは何ですか？'),
    q(1, 'explain', 'このコードが何をしているか説明してください。', { attach: [snip('py_generator')] }),
    q(3, 'design', '分散システムで注文を処理するアーキテクチャを設計してください。整合性と可用性のトレードオフも説明してください。'),
    q(3, 'security', 'このログイン処理のセキュリティを確認してください。インジェクションや認証の脆弱性はありますか？', { attach: [snip('py_flask_login')] }),
    q(2, 'perf', 'このクエリは200万件で40秒かかります。パフォーマンスを最適化するには？', { attach: [snip('sql_slow_query')] }),
    q(0, 'write', '文字列が回文かどうかを判定する関数を書いてください。'),
    q(2, 'debug', 'このコードは時々クラッシュします。同じ値が連続するときに落ちるようです。原因は？', { attach: [snip('c_linked_list')] }),
    q(0, 'convert', 'この JSON を YAML に変換してください：{"name": "app", "port": 8080}'),
    q(1, 'debug', 'すべてのボタンが最後のパネルを開いてしまいます。なぜですか？', { attach: [snip('js_closure_loop')], why: 'classic var-in-loop closure' }),
    q(0, 'lookup', 'Python でリストを逆順にする方法は？'),
    q(1, 'test', 'この関数の単体テストを pytest で書いてください。', { attach: [snip('py_sum_evens')] }),
  ],
};
