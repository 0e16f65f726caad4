"""The canonical skill taxonomy shipped with DevCrew, and the one rule for comparing names.

Each line of ``TAXONOMY`` reads ``Name | alias, alias | Related, Related`` under a
``[category]`` header. Related skills point from the specific to the general
(Django → Python, Next.js → React): a developer who knows the former partly knows the latter,
which the matching agents turn into partial credit.

The data migration ``0002_skill_taxonomy`` and ``taxonomy_sync`` load it; both are idempotent.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.utils.text import slugify

CATEGORY_LANGUAGE = "language"
CATEGORY_FRAMEWORK = "framework"
CATEGORY_DATABASE = "database"
CATEGORY_DEVOPS = "devops"
CATEGORY_DATA = "data"
CATEGORY_DESIGN = "design"
CATEGORY_MOBILE = "mobile"
CATEGORY_TESTING = "testing"
CATEGORY_OTHER = "other"

CATEGORY_CHOICES = [
    (CATEGORY_LANGUAGE, "Language"),
    (CATEGORY_FRAMEWORK, "Framework / library"),
    (CATEGORY_DATABASE, "Database"),
    (CATEGORY_DEVOPS, "Cloud / DevOps"),
    (CATEGORY_DATA, "Data / ML"),
    (CATEGORY_DESIGN, "Design"),
    (CATEGORY_MOBILE, "Mobile"),
    (CATEGORY_TESTING, "Testing"),
    (CATEGORY_OTHER, "Other"),
]

_KEY_DROP = re.compile(r"[^\w+#]+")


def skill_key(text: str) -> str:
    """The comparison key of a skill name or alias: case- and punctuation-insensitive.

    ``+`` and ``#`` are kept because they tell C, C++ and C# apart; everything else that
    is not a letter or digit (spaces, dots, dashes, slashes) is dropped, so ``React.JS``,
    ``react js`` and ``reactjs`` share one key.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    return _KEY_DROP.sub("", text).replace("_", "")


def skill_slug_base(name: str) -> str:
    """A readable slug: C++ → cpp, C# → csharp, .NET → dotnet."""
    text = name.replace("++", "pp").replace("#", "sharp")
    if text.startswith("."):
        text = "dot" + text[1:]
    return slugify(text) or "skill"


TAXONOMY = """
[language]
Python | py, python3, python 3, cpython |
JavaScript | js, javascript, ecmascript, es6, es2015, vanilla js |
TypeScript | ts | JavaScript
Java | java se, core java |
Kotlin | kt | Java
Swift | swift lang |
Objective-C | objc, obj-c |
C | c lang, ansi c |
C++ | cpp, cplusplus, c plus plus | C
C# | csharp, c sharp, c-sharp |
Go | golang, go lang |
Rust | rust lang, rustlang |
Ruby | rb |
PHP | php8, php7 |
Scala | scala lang | Java
Elixir | ex | Erlang
Erlang | erlang otp |
Haskell | hs |
Clojure | clj | Java
F# | fsharp, f sharp |
OCaml | ocaml lang |
Dart | dart lang |
Lua | lua lang |
Perl | perl5 |
R | r lang, rlang, r programming |
Julia | julia lang |
MATLAB | matlab |
Groovy | apache groovy | Java
Visual Basic .NET | vb.net, vbnet, visual basic |
Bash | shell, sh, shell scripting, bash scripting, zsh |
PowerShell | pwsh, powershell core |
SQL | structured query language, t-sql, tsql, pl/sql, plsql |
HTML | html5, xhtml |
CSS | css3 |
Sass | scss | CSS
Less | less css | CSS
Zig | ziglang |
Nim | nim lang |
Crystal | crystal lang |
Fortran | fortran90 |
COBOL | cobol lang |
Assembly | asm, assembler, x86 assembly |
Solidity | sol | Ethereum
WebAssembly | wasm |
Elm | elm lang |
Prolog | swi-prolog |
Lisp | common lisp |
Racket | racket lang | Lisp

[framework]
Django | django framework | Python
Django REST Framework | drf, django rest | Django, Python
Flask | flask python | Python
FastAPI | fast api | Python
Pyramid | pyramid framework | Python
Starlette | starlette framework | Python
Celery | celery python | Python
SQLAlchemy | sqla | Python, SQL
Pydantic | pydantic v2 | Python
Wagtail | wagtail cms | Django
Streamlit | streamlit app | Python
React | react.js, reactjs, react js | JavaScript
Next.js | nextjs, next | React
Remix | remix run | React
Gatsby | gatsbyjs, gatsby.js | React
Redux | redux toolkit, rtk | React
MobX | mobx state tree |
Vue.js | vue, vuejs, vue 3, vue3 | JavaScript
Nuxt | nuxt.js, nuxtjs | Vue.js
Angular | angular 2, angular2+, angular io | TypeScript
AngularJS | angular.js, angular 1 | JavaScript
Svelte | svelte.js | JavaScript
SvelteKit | svelte kit | Svelte
SolidJS | solid.js, solid | JavaScript
Astro | astro.build | JavaScript
Ember.js | ember, emberjs | JavaScript
Backbone.js | backbone, backbonejs | JavaScript
jQuery | jquery.js | JavaScript
Alpine.js | alpine, alpinejs | JavaScript
htmx | htmx.js | HTML
Three.js | threejs, three | JavaScript
D3.js | d3, d3js | JavaScript
Node.js | node, nodejs, node js | JavaScript
Express | express.js, expressjs | Node.js
NestJS | nest.js, nest | Node.js, TypeScript
Fastify | fastify.js | Node.js
Koa | koa.js, koajs | Node.js
Deno | deno runtime | TypeScript
Bun | bun.js, bun runtime | JavaScript
Electron | electron.js, electronjs | JavaScript
Tauri | tauri app | Rust
Ruby on Rails | rails, ror, rubyonrails | Ruby
Sinatra | sinatra ruby | Ruby
Hotwire | turbo, stimulus | Ruby on Rails
Laravel | laravel php | PHP
Symfony | symfony php | PHP
CodeIgniter | codeigniter php | PHP
Spring | spring framework | Java
Spring Boot | springboot, spring-boot | Spring, Java
Hibernate | hibernate orm, jpa | Java
Quarkus | quarkus io | Java
Micronaut | micronaut framework | Java
.NET | dotnet, dot net, .net core, net core | C#
ASP.NET Core | asp.net, aspnet, asp net core | .NET, C#
Entity Framework | ef core, entity framework core | .NET
Blazor | blazor wasm | .NET, C#
Phoenix | phoenix framework | Elixir
Gin | gin gonic, gin-gonic | Go
Echo | labstack echo, go echo | Go
Actix | actix web, actix-web | Rust
Axum | axum rs | Rust
Tokio | tokio rs | Rust
Ktor | ktor framework | Kotlin
Play Framework | playframework, play scala | Scala
Akka | akka actors | Scala
Tailwind CSS | tailwind, tailwindcss | CSS
Bootstrap | twitter bootstrap | CSS
Material UI | mui, material-ui | React
Chakra UI | chakra | React
Apollo GraphQL | apollo, apollo client, apollo server | GraphQL
Prisma | prisma orm | TypeScript
TypeORM | type orm | TypeScript
Sequelize | sequelize orm | Node.js
Webpack | webpack.js | JavaScript
Vite | vitejs, vite.js | JavaScript
Babel | babel.js, babeljs | JavaScript
Qt | qt framework, pyqt | C++
Unity | unity3d, unity 3d | C#
Unreal Engine | ue4, ue5, unreal | C++
Godot | godot engine |
OpenGL | open gl | C++
Vulkan | vulkan api | C++

[database]
PostgreSQL | postgres, psql, pg, postgre, postgresql db | SQL
MySQL | my sql | SQL
MariaDB | maria db | MySQL
SQLite | sqlite3 | SQL
Microsoft SQL Server | mssql, sql server, ms sql | SQL
Oracle Database | oracle db, oracle, oracledb | SQL
MongoDB | mongo, mongo db |
Redis | redis db |
Memcached | memcache |
Cassandra | apache cassandra |
DynamoDB | dynamo db, amazon dynamodb | AWS
Elasticsearch | elastic search, elastic |
OpenSearch | open search | Elasticsearch
Neo4j | neo4j graph, cypher |
CouchDB | apache couchdb |
Couchbase | couchbase server |
Firestore | firebase firestore, cloud firestore | Firebase
Supabase | supabase db | PostgreSQL
ClickHouse | click house |
Snowflake | snowflake db |
BigQuery | google bigquery, big query | Google Cloud
Amazon Redshift | redshift | AWS, SQL
InfluxDB | influx |
TimescaleDB | timescale | PostgreSQL
CockroachDB | cockroach db, crdb | PostgreSQL
DuckDB | duck db | SQL
Apache HBase | hbase | Hadoop
pgvector | pg vector | PostgreSQL
Pinecone | pinecone db |
Weaviate | weaviate db |
Qdrant | qdrant db |
Milvus | milvus db |
Realm | realm db, mongodb realm |

[devops]
Docker | docker engine, containers |
Docker Compose | docker-compose, compose | Docker
Kubernetes | k8s, kube | Docker
Helm | helm charts | Kubernetes
OpenShift | red hat openshift | Kubernetes
Istio | istio service mesh | Kubernetes
Argo CD | argocd, argo | Kubernetes
Podman | podman containers |
AWS | amazon web services |
AWS Lambda | lambda, aws lambda functions | AWS
Amazon S3 | s3, aws s3 | AWS
Amazon EC2 | ec2, aws ec2 | AWS
Amazon EKS | eks, aws eks | AWS, Kubernetes
Google Cloud | gcp, google cloud platform, gcloud |
Google Kubernetes Engine | gke | Google Cloud, Kubernetes
Microsoft Azure | azure, ms azure |
Azure DevOps | ado, vsts | Microsoft Azure
Terraform | terraform hcl, hcl |
Pulumi | pulumi iac |
Ansible | ansible playbooks |
Chef | chef infra |
Puppet | puppet labs |
Vagrant | hashicorp vagrant |
HashiCorp Vault | vault |
Consul | hashicorp consul |
Jenkins | jenkins ci |
GitHub Actions | gh actions, github workflows | Git
GitLab CI | gitlab ci/cd, gitlab pipelines | Git
CircleCI | circle ci |
Travis CI | travis |
CI/CD | cicd, continuous integration, continuous delivery, continuous deployment |
Git | git scm |
Linux | gnu/linux, linux administration |
Nginx | engine x |
Apache HTTP Server | apache httpd, httpd, apache2 |
Prometheus | prometheus monitoring |
Grafana | grafana dashboards |
Datadog | data dog |
Sentry | sentry.io |
OpenTelemetry | otel, open telemetry |
Cloudflare | cloudflare workers |
Vercel | zeit |
Netlify | netlify cms |
Heroku | heroku cloud |
DigitalOcean | digital ocean, do droplets |
Serverless | serverless framework, faas |
Site Reliability Engineering | sre, site reliability |
RabbitMQ | rabbit mq, amqp |
NATS | nats.io, nats messaging |
Infrastructure as Code | iac |

[data]
Machine Learning | ml, machine-learning |
Deep Learning | dl, neural networks | Machine Learning
Artificial Intelligence | ai | Machine Learning
Natural Language Processing | nlp | Machine Learning
Computer Vision | cv, image recognition | Machine Learning
Large Language Models | llm, llms, genai, generative ai | Machine Learning
Prompt Engineering | prompting | Large Language Models
Retrieval-Augmented Generation | rag | Large Language Models
LangChain | lang chain | Large Language Models, Python
LlamaIndex | llama index, gpt index | Large Language Models, Python
OpenAI API | openai, gpt api, chatgpt api | Large Language Models
Hugging Face Transformers | huggingface, hugging face, transformers, hf | Machine Learning, Python
PyTorch | torch | Deep Learning, Python
TensorFlow | tensorflow2 | Deep Learning, Python
Keras | keras api | TensorFlow
JAX | google jax | Python
scikit-learn | sklearn, scikit learn | Machine Learning, Python
XGBoost | xgb | Machine Learning
LightGBM | lgbm | Machine Learning
pandas | pandas python, pd | Python
NumPy | np, numpy python | Python
SciPy | scipy python | Python
Polars | polars df | Python
Dask | dask python | Python
Ray | ray.io, anyscale ray | Python
Matplotlib | mpl, pyplot | Python
Plotly | plotly dash, dash | Python
Jupyter | jupyter notebook, jupyterlab, ipython | Python
Apache Spark | spark, pyspark | Scala
Hadoop | apache hadoop, hdfs, mapreduce | Java
Apache Kafka | kafka | Java
Apache Flink | flink | Java
Apache Airflow | airflow | Python
dbt | data build tool, dbt core | SQL
ETL | elt, data pipelines | Data Engineering
Data Engineering | data engineer |
Data Analysis | data analytics | Statistics
Data Visualization | dataviz, data viz |
Statistics | stats, statistical analysis |
Tableau | tableau desktop | Data Visualization
Power BI | powerbi, microsoft power bi | Data Visualization
Looker | looker studio, google data studio | Data Visualization
MLOps | ml ops | Machine Learning
MLflow | ml flow | MLOps
Kubeflow | kube flow | MLOps, Kubernetes
ONNX | onnx runtime | Machine Learning
Reinforcement Learning | rl | Machine Learning
OpenCV | opencv python, cv2 | Computer Vision
spaCy | spacy nlp | Natural Language Processing, Python
NLTK | natural language toolkit | Natural Language Processing, Python

[design]
Figma | figma design |
Sketch | sketch app |
Adobe XD | xd, adobexd |
Adobe Photoshop | photoshop, ps |
Adobe Illustrator | illustrator |
UI Design | ui, user interface design, visual design |
UX Design | ux, user experience, user experience design |
UX Research | user research, usability testing | UX Design
Interaction Design | ixd | UX Design
Prototyping | rapid prototyping | UX Design
Wireframing | wireframes | UX Design
Design Systems | design system, component libraries | UI Design
Accessibility | a11y, wcag, web accessibility |
Typography | type design | UI Design
Motion Design | motion graphics, animation design | UI Design
Information Architecture | ia | UX Design
Product Design | product designer | UX Design
Framer | framer motion |
Blender | blender 3d, 3d modelling |
Storybook | storybook.js, storybookjs | Design Systems

[mobile]
Android | android development, android sdk | Kotlin, Java
iOS | ios development, ios sdk | Swift
React Native | rn, react-native, reactnative | React
Expo | expo.dev | React Native
Flutter | flutter sdk | Dart
SwiftUI | swift ui | Swift, iOS
UIKit | ui kit | Swift, iOS
Jetpack Compose | compose android, android compose | Kotlin, Android
Xamarin | xamarin forms | C#
.NET MAUI | maui, dotnet maui | .NET, C#
Ionic | ionic framework | JavaScript
Capacitor | capacitorjs | JavaScript
Apache Cordova | cordova, phonegap | JavaScript
Kotlin Multiplatform | kmp, kmm, kotlin multiplatform mobile | Kotlin
Core Data | coredata | iOS
Firebase | google firebase |

[testing]
pytest | py.test | Python
unittest | pyunit | Python
Jest | jestjs, jest.js | JavaScript
Vitest | vi test | Vite
Mocha | mocha.js, mochajs | JavaScript
Jasmine | jasmine.js | JavaScript
Cypress | cypress.io | JavaScript
Playwright | playwright test |
Selenium | selenium webdriver, webdriver |
Puppeteer | puppeteer.js | Node.js
JUnit | junit5, junit 5 | Java
TestNG | test ng | Java
Mockito | mockito java | Java
RSpec | r spec | Ruby
PHPUnit | php unit | PHP
xUnit | xunit.net | C#
Testing Library | react testing library, rtl, dom testing library |
Test-Driven Development | tdd, test driven development |
Behavior-Driven Development | bdd, behaviour driven development |
Cucumber | gherkin |
Postman | postman api |
k6 | grafana k6 |
JMeter | apache jmeter |
Locust | locust.io | Python
Appium | appium mobile |
Hypothesis | property-based testing, property based testing | Python
End-to-End Testing | e2e, e2e testing |
Load Testing | performance testing, stress testing |

[other]
REST APIs | rest, restful api, rest api, restful |
GraphQL | gql, graph ql |
gRPC | grpc, protocol buffers, protobuf |
WebSockets | websocket, ws |
OAuth | oauth2, oauth 2.0, openid connect, oidc |
Microservices | micro services, microservice architecture |
System Design | systems design |
Software Architecture | architecture |
Domain-Driven Design | ddd, domain driven design |
Event-Driven Architecture | eda, event driven |
Agile | agile methodology |
Scrum | scrum master |
Kanban | kanban board |
Project Management | pm, project manager |
Product Management | product manager |
Technical Writing | docs, documentation |
Cybersecurity | security, infosec, application security, appsec |
Penetration Testing | pentest, pentesting, ethical hacking | Cybersecurity
Cryptography | crypto |
Blockchain | distributed ledger |
Ethereum | eth, evm | Blockchain
Web3 | web 3, dapps | Blockchain
Game Development | gamedev, game dev |
Embedded Systems | embedded, firmware | C
Arduino | arduino uno | C++
Raspberry Pi | raspi, rpi | Linux
Internet of Things | iot |
Open Source | oss, open-source |
SEO | search engine optimization |
Regular Expressions | regex, regexp |
Performance Optimization | performance tuning, profiling |
Distributed Systems | distributed computing |
Code Review | code reviews |
Mentoring | coaching, mentorship |
Technical Leadership | tech lead, engineering leadership |
"""


@dataclass(frozen=True)
class TaxonomyEntry:
    name: str
    category: str
    aliases: tuple[str, ...]
    related: tuple[str, ...]


def taxonomy_entries() -> list[TaxonomyEntry]:
    entries: list[TaxonomyEntry] = []
    category = CATEGORY_OTHER
    for raw in TAXONOMY.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            category = line[1:-1]
            continue
        name, aliases, related = (part.strip() for part in line.split("|"))
        entries.append(
            TaxonomyEntry(
                name=name,
                category=category,
                aliases=tuple(a.strip() for a in aliases.split(",") if a.strip()),
                related=tuple(r.strip() for r in related.split(",") if r.strip()),
            )
        )
    return entries


def taxonomy_sync(*, skill_model, alias_model) -> int:
    """Load the taxonomy into the database; return how many skills were created.

    Idempotent and additive: existing skills keep their edits (staff may have renamed,
    re-categorised or added aliases); missing skills, aliases and relations are added.
    Takes the models as arguments so the data migration can pass its historical ones.
    """
    entries = taxonomy_entries()
    existing = {skill.key: skill for skill in skill_model.objects.all()}
    taken_aliases = set(alias_model.objects.values_list("key", flat=True))
    taken_slugs = {skill.slug for skill in existing.values()}
    created = 0
    by_name = {}
    for entry in entries:
        key = skill_key(entry.name)
        skill = existing.get(key)
        if skill is None:
            slug = base = skill_slug_base(entry.name)
            suffix = 2
            while slug in taken_slugs:
                slug, suffix = f"{base}-{suffix}", suffix + 1
            taken_slugs.add(slug)
            skill = skill_model.objects.create(
                name=entry.name, key=key, slug=slug, category=entry.category, is_reviewed=True
            )
            existing[key] = skill
            created += 1
        by_name[entry.name] = skill
    for entry in entries:
        skill = by_name[entry.name]
        new_aliases = []
        for alias in entry.aliases:
            key = skill_key(alias)
            if not key or key in taken_aliases or key in existing:
                continue
            taken_aliases.add(key)
            new_aliases.append(alias_model(skill=skill, name=alias, key=key))
        alias_model.objects.bulk_create(new_aliases)
        related = [by_name[name] for name in entry.related if name in by_name]
        if related:
            skill.related.add(*related)
    return created
