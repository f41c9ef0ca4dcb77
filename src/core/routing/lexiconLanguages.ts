/**
 * The word groups of lexicon.ts in French, German, Spanish, Portuguese,
 * Chinese and Japanese. With English words only, "Warum verklemmen sich
 * meine Threads…" or "为什么会死锁" read as a short request with no code
 * and went to the cheap tier. The groups weigh the same in any language: a
 * deadlock is as hard asked in German.
 *
 * Words are lower case, whole words as the scanner reads them (letters,
 * digits, inner `-` and `'`). Chinese and Japanese terms are matched as
 * character sequences at any position (those scripts put no space between
 * words); a one-character term is kept only where its meaning is plain (锁,
 * 慢), and a katakana term only where a katakana word starts (ロック
 * "lock" is not read inside ブロック "block"). Left out on purpose: words that are English words too with another
 * meaning ("lent", "borne", "menace", "canal"), and words too loose to point
 * at a topic ("sicher", "seguro": "sure"; "prueba" as proof). Spanish and
 * Portuguese "why" is two words or a word that also means "because": see
 * WHY_IN_TWO_WORDS below.
 */
export const WORDS_IN_OTHER_LANGUAGES: Readonly<Record<string, readonly string[]>> = {
  lookup: [
    'syntaxe', 'commande', 'raccourci', 'signifie', 'définition',
    'befehl', 'tastenkürzel', 'bedeutet', 'bedeutung',
    'sintaxis', 'comando', 'atajo', 'significa', 'definición',
    'sintaxe', 'atalho', 'definição',
    '语法', '命令', '快捷键', '什么意思', '含义', '定义',
    '構文', 'コマンド', 'ショートカット', '意味', '定義',
  ],
  mechanical: [
    'renommer', 'reformater', 'indenter', 'trier', 'commentaire', 'commentaires', 'coquille',
    'umbenennen', 'benenne', 'formatieren', 'einrücken', 'sortieren', 'kommentar', 'kommentare', 'tippfehler',
    'renombrar', 'formatear', 'indentar', 'ordenar', 'comentario', 'comentarios',
    'renomear', 'formatar', 'comentário', 'comentários',
    '重命名', '格式化', '缩进', '排序', '注释', '拼写',
    'リネーム', '改名', 'フォーマット', '整形', 'インデント', '並べ替え', 'ソート', 'コメント', '誤字',
  ],
  convert: [
    'convertir', 'traduire', 'réécrire',
    'konvertieren', 'umwandeln', 'übersetzen', 'umschreiben',
    'traducir', 'reescribir',
    'converter', 'traduzir', 'reescrever',
    '转换', '翻译', '改写', '移植',
    '変換', '翻訳', '書き換え',
  ],
  // Imperatives as users type them: familiar and polite ("explique", "expliquez"; "erklär", "erkläre"), Spanish
  // with the pronoun joined ("explícame"); French and Portuguese hyphenated ones are split (wordJoins.ts).
  explain: [
    'expliquer', 'explique', 'expliquez', 'explication', 'résumer', 'résume', 'résumez', 'décrire', 'décris', 'décrivez',
    'erklären', 'erkläre', 'erklär', 'erklärt', 'erklärung', 'zusammenfassen', 'beschreiben', 'beschreibe', 'beschreib',
    'explicar', 'explica', 'explícame', 'explícalo', 'explícamelo', 'explicación', 'resumir', 'resúmeme', 'describir',
    'explicação', 'descrever', 'descreva',
    '解释', '说明', '总结', '概述', '讲解',
    '説明', '解説', '要約', '概要',
  ],
  // The nouns ("fonction", "関数"…) are WRITE_NOUNS_IN_OTHER_LANGUAGES: asked for only where no word points at one that exists.
  write: [
    'écrire', 'écris', 'écrivez', 'générer', 'génère', 'générez', 'créer', 'crée', 'créez', 'implémenter', 'implémente', 'implémentez',
    'schreiben', 'schreibe', 'schreib', 'erzeugen', 'erzeuge', 'erzeug', 'erstellen', 'erstelle', 'erstell', 'generieren', 'generiere', 'implementieren', 'implementiere',
    'escribir', 'escribe', 'escriba', 'escríbeme', 'escríbelo', 'generar', 'genera', 'genere', 'crear', 'crea', 'créame', 'implementar', 'implementa', 'implemente',
    'escrever', 'escreva', 'escreve', 'gerar', 'gere', 'criar', 'crie', 'cria',
    '编写', '生成', '创建', '实现', '写一个', '写个', '写一段', '帮我写',
    '書いて', '書く', '作成', '生成', '実装', '作って',
  ],
  test: [
    'unitaire', 'unitaires', 'couverture',
    'unittest', 'unittests', 'testabdeckung',
    'prueba', 'pruebas', 'unitaria', 'unitarias', 'cobertura',
    'teste', 'testes', 'unitário', 'unitários',
    '测试', '单元测试', '覆盖率', '断言',
    'テスト', '単体テスト', 'カバレッジ', 'モック',
  ],
  review: [
    'relire', 'relis', 'relisez', 'relecture',
    'überprüfen', 'überprüfe', 'überprüf', 'durchsehen', 'reviewen', 'reviewe',
    'revisar', 'revisa', 'revísalo', 'revisión',
    'revisão',
    '审查', '审核', '评审',
    'レビュー', '査読',
  ],
  debug: [
    'bogue', 'plantage', 'plante', 'échoue', 'cassé', 'fuite', 'bloqué', 'corrompu', 'parfois', 'aléatoirement', 'régression', 'incorrect',
    'absturz', 'stürzt', 'abstürzt', 'hängt', 'fehlerhaft', 'falsch', 'kaputt', 'speicherleck', 'manchmal', 'sporadisch',
    'falla', 'fallo', 'cuelga', 'colgado', 'roto', 'incorrecto', 'fuga', 'corrupto', 'regresión',
    'falha', 'trava', 'travando', 'quebrado', 'incorreto', 'vazamento', 'corrompido', 'regressão',
    '崩溃', '错误', '失败', '卡住', '挂起', '偶尔', '有时', '泄漏', '泄露', '损坏', '不正确', '段错误', '调试',
    'クラッシュ', '落ちる', '失敗', '固まる', 'フリーズ', '不具合', 'バグ', '時々', 'たまに', 'リーク', '壊れ', '間違', '誤動作', 'デバッグ',
  ],
  concurrency: [
    'interblocage', 'verrou', 'verrous', 'parallèle', 'parallélisme', 'atomique', 'sémaphore', 'famine', 'simultanément',
    'verklemmung', 'verklemmen', 'verklemmt', 'wettlaufsituation', 'nebenläufig', 'nebenläufigkeit', 'sperre', 'sperren', 'atomar', 'semaphor', 'gleichzeitig', 'kanal', 'kanäle',
    'interbloqueo', 'bloqueo', 'bloqueos', 'concurrencia', 'concurrente', 'hilo', 'hilos', 'cerrojo', 'semáforo', 'atómico', 'atómica', 'paralelo', 'paralela', 'simultáneamente', 'inanición',
    'impasse', 'bloqueio', 'bloqueios', 'concorrência', 'concorrente', 'atômico', 'atômica', 'simultaneamente',
    '死锁', '竞态', '竞争条件', '并发', '线程', '互斥', '锁', '原子', '信号量', '协程', '同步',
    'デッドロック', '競合', '並行', '並列', '排他', 'スレッド', 'ミューテックス', 'ロック', 'マルチスレッド', 'アトミック', 'セマフォ', '同期',
  ],
  design: [
    'évolutif', 'évolutivité', 'compromis', 'approche', 'découpler', 'couplage', 'monolithe', 'schéma', 'cohérence', 'distribué', 'distribuée', 'réplication',
    'architektur', 'entwurf', 'entwerfen', 'skalierbar', 'skalierung', 'abwägung', 'abwägungen', 'ansatz', 'abstraktion', 'entkoppeln', 'kopplung', 'konsistenz', 'verteilt', 'verteilte', 'verteilten', 'verteiltes', 'replikation',
    'arquitectura', 'diseño', 'diseñar', 'escalable', 'escalabilidad', 'enfoque', 'abstracción', 'desacoplar', 'acoplamiento', 'microservicios', 'monolito', 'esquema', 'consistencia', 'distribuido', 'distribuida', 'replicación',
    'arquitetura', 'escalável', 'escalabilidade', 'abordagem', 'abstração', 'acoplamento', 'microsserviços', 'consistência', 'distribuído', 'replicação',
    '架构', '设计', '可扩展', '扩展性', '权衡', '取舍', '抽象', '解耦', '耦合', '微服务', '单体', '一致性', '分布式', '分片', '幂等',
    'アーキテクチャ', '設計', 'スケーラ', '拡張性', 'トレードオフ', '抽象化', '疎結合', 'マイクロサービス', 'モノリス', '整合性', '一貫性', '分散', 'シャーディング', 'レプリケーション', '冪等',
  ],
  plan: [
    'planifier', 'migrer', 'stratégie', 'étapes', 'déploiement', 'progressif', 'progressivement', 'incrémental', 'rétrocompatible',
    'planen', 'migrieren', 'strategie', 'phasen', 'schrittweise', 'inkrementell', 'abwärtskompatibel',
    'planificar', 'migrar', 'migración', 'estrategia', 'despliegue', 'retrocompatible',
    'planejar', 'migração', 'estratégia', 'implantação', 'retrocompatível',
    '计划', '规划', '迁移', '路线图', '策略', '分阶段', '逐步', '向后兼容',
    '計画', '移行', 'ロードマップ', '戦略', '段階的', '後方互換',
  ],
  proof: [
    'prouver', 'prouve', 'prouvez', 'preuve', 'démontrer', 'démontre', 'démontrez', 'démonstration', 'terminaison', 'formellement', 'récurrence', 'lemme', 'théorème', 'complexité', 'amortie', 'décidable',
    'beweisen', 'beweise', 'beweis', 'invariante', 'terminiert', 'terminierung', 'korrektheit', 'induktion', 'komplexität', 'amortisiert', 'entscheidbar', 'widerspruch',
    'demostrar', 'demuestra', 'demostración', 'terminación', 'formalmente', 'inducción', 'lema', 'teorema', 'complejidad', 'amortizado', 'contradicción', 'decidible',
    'provar', 'demonstrar', 'demonstração', 'terminação', 'corretude', 'indução', 'complexidade', 'contradição', 'decidível',
    '证明', '不变量', '终止', '正确性', '形式化', '归纳', '引理', '定理', '推导', '复杂度', '均摊', '矛盾', '可判定',
    '証明', '不変条件', '停止性', '正当性', '形式的', '帰納法', '補題', '導出', '計算量', '償却',
  ],
  refactor: [
    'refactoriser', 'refactorisation', 'restructurer', 'réorganiser', 'modulariser', 'découper', 'extraire',
    'refaktorisieren', 'refaktorieren', 'umstrukturieren', 'aufteilen', 'extrahieren',
    'refactorizar', 'refactorización', 'reestructurar', 'reorganizar', 'extraer',
    'refatorar', 'refatoração', 'reestruturar', 'extrair',
    '重构', '拆分', '提取',
    'リファクタ', '分割', '抽出',
  ],
  scope: [
    'dépôt', 'entier', 'entière',
    'codebasis', 'gesamten', 'ganzen', 'modulen',
    'repositorio', 'módulos', 'entero',
    'repositório', 'inteiro',
    '整个', '代码库', '仓库', '所有模块',
    '全体', 'コードベース', 'リポジトリ',
  ],
  security: [
    'sécurité', 'sécuriser', 'vulnérabilité', 'vulnérabilités', 'vulnérable', 'faille', 'failles', 'authentification', 'autorisation', 'chiffrement', 'attaquant',
    'sicherheit', 'sicherheitslücke', 'sicherheitslücken', 'schwachstelle', 'schwachstellen', 'angreifbar', 'angreifer', 'injektion', 'authentifizierung', 'autorisierung', 'verschlüsselung', 'bedrohung',
    'seguridad', 'vulnerabilidad', 'vulnerabilidades', 'inyección', 'autenticación', 'autorización', 'cifrado', 'atacante', 'amenaza', 'privilegios',
    'segurança', 'vulnerabilidade', 'vulnerável', 'injeção', 'autenticação', 'autorização', 'criptografia', 'ameaça', 'privilégios',
    '安全', '漏洞', '注入', '跨站', '认证', '鉴权', '授权', '加密', '攻击', '威胁', '权限',
    'セキュリティ', '脆弱性', 'インジェクション', '認証', '認可', '暗号', '攻撃', '脅威', '権限',
  ],
  perf: [
    'performances', 'optimiser', 'optimisation', 'lente', 'lenteur', 'latence', 'débit', 'goulot', 'profilage', 'mémoire', 'quadratique',
    'leistung', 'optimieren', 'optimierung', 'langsam', 'langsamer', 'latenz', 'durchsatz', 'engpass', 'speicher', 'speicherverbrauch', 'schneller', 'quadratisch',
    'rendimiento', 'optimizar', 'optimización', 'lento', 'lenta', 'latencia', 'memoria', 'cuadrático',
    'desempenho', 'otimizar', 'otimização', 'latência', 'gargalo', 'memória', 'quadrático',
    '性能', '优化', '更快', '变慢', '慢', '延迟', '吞吐', '瓶颈', '缓存', '内存',
    'パフォーマンス', '最適化', '高速化', '遅い', '遅く', '遅延', 'レイテンシ', 'スループット', 'ボトルネック', 'プロファイ', 'キャッシュ', 'メモリ',
  ],
  reasoning: [
    'pourquoi', 'subtil', 'subtile',
    'warum', 'wieso', 'weshalb', 'ursache',
    'sutil',
    '为什么', '原因', '根本', '微妙', '边界',
    'なぜ', '何故', '原因', '根本', '微妙', '境界',
  ],
  // "guarantee" and "ensure": a requirement on the answer ("如何保证消息顺序", how to guarantee the order of messages).
  constraint: ['garantir', 'garantieren', 'garantizar', '保证', '确保', '保証'],
  compare: [
    'différence', 'différences', 'comparer', 'avantages', 'inconvénients',
    'unterschied', 'unterschiede', 'vergleichen', 'vorteile', 'nachteile',
    'diferencia', 'diferencias', 'comparar', 'ventajas', 'desventajas',
    'diferença', 'diferenças', 'vantagens', 'desvantagens',
    '区别', '比较', '对比', '优缺点',
    '違い', '比較', '長所',
  ],
};

/**
 * English words of the groups that are everyday words of another language:
 * French "comment" is "how", so "Comment renommer…" is not a request about
 * code comments. In a request written in that language such a word is read
 * as a word of its own (it joins no group, and its hashed feature is apart
 * from the English one). Checked and kept: "test" and "plan" (the same
 * meaning in all five languages), "format", "cache", "performance"; "port"
 * is read by a rule in any language (PORT_VERB_AFTER).
 * German "die" is in no group.
 */
export const FALSE_FRIENDS: Readonly<Record<'fr' | 'de', readonly string[]>> = {
  fr: ['comment', 'sort', 'prime'],
  de: ['stand'],
};

/**
 * Short words that say which language a request is written in, for the
 * false friends above; words shared with English ("on", "in", "a") or with
 * each other are left out.
 */
export const LANGUAGE_MARKERS: Readonly<Record<'en' | 'fr' | 'de', readonly string[]>> = {
  en: ['the', 'is', 'and', 'to', 'of', 'with', 'this', 'my', 'how', 'what', 'why', 'it', 'do', 'does', 'can', 'for', 'not', 'are', 'that', 'out', 'all', 'these', 'each', 'every', 'add', 'please', 'function', 'code'],
  fr: ['le', 'la', 'les', 'une', 'des', 'est', 'dans', 'pour', 'avec', 'cette', 'ce', 'je', 'qui', 'que', 'pas', 'sur', 'mon', 'ma', 'mes', 'du', 'au', 'aux', 'il', 'elle', 'sont', 'faire', 'peux', 'puis', 'quoi', 'où', 'ça', 'tout', 'tous', 'toutes', 'sans', 'mais', 'nous', 'vous', 'leur', 'par'],
  de: ['der', 'die', 'das', 'ist', 'nicht', 'und', 'mit', 'ein', 'eine', 'einen', 'ich', 'wie', 'mein', 'meine', 'wenn', 'auf', 'zu', 'von', 'für', 'dem', 'den', 'sich', 'wird', 'kann', 'werden', 'sind', 'bei', 'nach', 'aus', 'diese', 'dieser', 'auch', 'oder', 'aber', 'warum', 'alle'],
};

/**
 * Spanish and Portuguese ask "why" in two words: "¿Por qué…?", "Por que…?",
 * "…por quê?". "porque" is "because", but people type it for "why" without
 * the space or the accent ("porque no funciona?"), so it is read as "why"
 * only where a sentence starts or in a line that asks a question; "que"
 * alone is read as "why" only right after "por".
 */
export const WHY_IN_TWO_WORDS = { first: 'por', second: ['qué', 'que', 'quê'] } as const;
export const WHY_IN_ONE_WORD: readonly string[] = ['porque', 'porqué', 'porquê'];

/**
 * What "port" is ported to decides whether it is a conversion or a migration:
 * "port this function to Go" is level 0, "port our billing module to Python
 * 3" a multi-file migration. A word of these in the same line makes a verb
 * "port" read as planning.
 */
export const PORTED_WHOLES: readonly string[] = [
  'module', 'modules', 'service', 'services', 'app', 'application', 'codebase', 'project', 'library', 'backend',
  'frontend', 'system', 'monolith', 'package', 'packages', 'repo', 'repository', 'sdk', 'plugin', 'microservice', 'stack',
  // French, German, Spanish, Portuguese ("porter ce module", "unser gesamtes Backend portieren", "portar todo o serviço").
  'projet', 'bibliothèque', 'système', 'dépôt',
  'modul', 'dienst', 'dienste', 'anwendung', 'projekt', 'bibliothek', 'paket', 'pakete',
  'módulo', 'módulos', 'servicio', 'servicios', 'aplicación', 'proyecto', 'biblioteca', 'sistema', 'paquete', 'repositorio', 'monolito',
  'serviço', 'serviços', 'aplicação', 'aplicativo', 'projeto', 'pacote', 'repositório',
];

/**
 * "port" as a verb in French, German, Spanish and Portuguese ("porter ce
 * module vers Kotlin", "wie portiere ich…", "¿puedes portar este script…?").
 * Unlike English "port" none of these is also the noun of a network port
 * (that is "port" in French and German, "puerto", "porta"), so they are read
 * as the verb wherever they occur, but "porter" only in a request read as
 * French (English "Porter stemmer"). Left out: forms that are other words
 * too (Portuguese "porte" "size", "porta" "door" or "port", French "porte").
 */
export const PORT_VERBS_IN_OTHER_LANGUAGES: readonly string[] = [
  'porter', 'portage',
  'portieren', 'portiere', 'portierst', 'portiert', 'portierung',
  'portar', 'portarlo', 'portarla', 'portando', 'portado',
];

/**
 * Words after which "port" is a verb ("to port", "can you port", "help me
 * port", "we port"); elsewhere, unless it starts a sentence, it is a noun:
 * "which port", "the port", "on port 8080".
 */
export const PORT_VERB_AFTER: readonly string[] = [
  'to', 'please', 'you', 'i', 'we', 'me', 'us', 'can', 'could', 'should', 'would', 'will', 'must', 'and', 'then', 'lets', "let's", 'also', 'just',
  'now',
];

/** Objects that make the "port" right before them a verb whatever precedes it: "ok now port it to TypeScript", "port them over". */
export const PORT_VERB_OBJECTS: readonly string[] = ['it', 'them', 'everything'];

/**
 * The write group's nouns in the other languages, read as English's are
 * (lexicon.ts WRITE_NOUNS): asked for unless a word right before them points
 * at one that exists. "cette fonction", "diese Funktion", "esta función",
 * "这个函数" and "この関数" are the user's code, not a request for new code.
 */
export const WRITE_NOUNS_IN_OTHER_LANGUAGES: readonly string[] = [
  'fonction', 'exemple', 'funktion', 'beispiel', 'función', 'ejemplo', 'função', 'exemplo',
  '函数', '示例', '正则', '関数', 'サンプル', '正規表現',
];

/**
 * Words that point at something that exists, in French, German, Spanish and
 * Portuguese: demonstratives, definite articles and possessives ("cette
 * fonction", "la fonction", "diese Funktion", "meine Funktion", "esta
 * función", "el ejemplo", "essa função", "minha função"), and French "l'"
 * ("l'exemple", read as its own word: wordJoins.ts). Left out: Portuguese "a"
 * and "o" ("a função" is "the function", but English "a function" asks for
 * one: PORTUGUESE_ARTICLES reads them before Portuguese nouns only) and
 * "no"/"nos" (English "no").
 */
export const EXISTING_BEFORE_IN_OTHER_LANGUAGES: readonly string[] = [
  'l', 'cette', 'ce', 'cet', 'ces', 'la', 'le', 'les', 'du', 'au', 'ma', 'mon', 'mes', 'ta', 'ton', 'tes', 'sa', 'son', 'ses', 'notre', 'nos', 'votre', 'vos', 'leur', 'leurs',
  'diese', 'dieser', 'dieses', 'diesem', 'diesen', 'die', 'der', 'das', 'den', 'dem', 'des', 'mein', 'meine', 'meinem', 'meinen', 'meiner', 'meines',
  'unser', 'unsere', 'unserem', 'unseren', 'unserer', 'dein', 'deine', 'deinem', 'deinen', 'ihre', 'ihrem', 'ihren', 'seine', 'seinem', 'seinen', 'obige', 'obigen',
  'esta', 'este', 'estas', 'estos', 'esa', 'ese', 'esas', 'esos', 'aquella', 'aquel', 'el', 'las', 'los', 'del', 'al', 'mi', 'mis', 'tu', 'tus', 'su', 'sus',
  'nuestra', 'nuestro', 'nuestras', 'nuestros',
  'estes', 'essa', 'esse', 'essas', 'esses', 'aquela', 'aquele', 'minha', 'meu', 'minhas', 'meus', 'sua', 'seu', 'suas', 'seus', 'nossa', 'nosso', 'da', 'do', 'das', 'dos', 'na', 'nas',
];

/**
 * The same in Chinese and Japanese, matched as the characters right before
 * the noun (spaces aside): "这个函数", "该函数", "我的函数", "この関数",
 * "その正規表現", "上記の関数". "一个函数" and "関数を書いて" ask for one.
 */
export const EXISTING_BEFORE_UNSPACED: readonly string[] = [
  '这个', '那个', '这些', '那些', '这段', '那段', '这', '那', '该', '此', '我的', '我们的', '你的', '上面的', '上述', '以上',
  'この', 'その', 'あの', '私の', '僕の', '自分の', 'うちの', '上の', '上記の',
];

/**
 * Code nouns of the other languages (lexicon.ts CODE_NOUNS): a "revisar" or
 * "レビュー" with one of them in the request is a code review.
 */
export const CODE_NOUNS_IN_OTHER_LANGUAGES: readonly string[] = [
  'código', 'codigo', 'fichier', 'fichiers', 'datei', 'dateien', 'archivo', 'archivos', 'arquivo', 'arquivos',
  'fonction', 'funktion', 'función', 'função', 'méthode', 'methode', 'método', 'klasse', 'clase', 'classe', 'modul', 'módulo',
  '代码', '文件', '函数', '合并', '提交', 'コード', 'ファイル', '関数', 'マージ', 'コミット', 'プルリク',
];

/**
 * Portuguese definite articles, read as pointing at one that exists only
 * before the Portuguese nouns of WRITE_NOUNS_IN_OTHER_LANGUAGES: "a função",
 * "o exemplo" are "the function", "the example", where English "a function"
 * asks for one. "uma função" still asks.
 */
export const PORTUGUESE_ARTICLES = { articles: ['a', 'o', 'as', 'os'], nouns: ['função', 'exemplo'] } as const;
