"""Round eighteen (docs/gate.md, the test17 remainder and the false blocks with a subject): reservations
kept only in a cache store, in several clients' spellings; a verb matched by a Latin prefix it only
shares (`transform` for "transmit"); a quoted SQL command (`CLUSTER`) found in prose of a string; and
acts the gate already reads, in the spellings of stacks no case has yet (Rust, Scala, Swift, PHP,
Elixir, Tekton, TOML)."""

from __future__ import annotations

from kb.outputs import code_forms, compliance, rule_shapes, signatures, store_forms

# --- reservations kept only in a cache store ---------------------------------------------------------------

EVICTION_RULE = (
    "Never store data that must not be lost in a Redis instance configured with an eviction policy."
)

PHP_LOCKERS = [
    "class ParcelHoldStore",
    "{",
    "    public function hold(string $parcel, string $customer): bool",
    "    {",
    "        return (bool) Redis::connection('cache')->set(\"hold:$parcel\", $customer, 'EX', 900, 'NX');",
    "    }",
    "    public function isFree(string $parcel): bool",
    "    {",
    "        return Redis::connection('cache')->get(\"hold:$parcel\") === null;",
    "    }",
]


def test_holds_written_only_to_a_cache_break_the_eviction_rule() -> None:
    assert rule_shapes.keeps_state_in_cache(EVICTION_RULE, PHP_LOCKERS)
    python = [
        "_cache = Redis.from_url(settings.web_cache_url)",
        "def reserve_seat(show_id: str, seat: str, user_id: str) -> bool:",
        "    return bool(_cache.set(f'seat:{show_id}:{seat}', user_id, ex=600, nx=True))",
    ]
    go = [
        "func (s *BookingStore) Book(ctx context.Context, room, guest string) (bool, error) {",
        '\treturn s.cacheRdb.SetNX(ctx, "booking:"+room, guest, 15*time.Minute).Result()',
    ]
    rust = [
        "pub fn reserve(cache_conn: &mut Connection, slot: &str, who: &str) -> RedisResult<bool> {",
        '    redis::cmd("SET").arg(slot).arg(who).arg("NX").arg("EX").arg(600).query(cache_conn)',
    ]
    kotlin = [
        "class LeaseRegistry(private val cacheTemplate: StringRedisTemplate) {",
        "    fun lease(id: String, owner: String) =",
        '        cacheTemplate.opsForValue().setIfAbsent("lease:$id", owner, Duration.ofMinutes(5))',
    ]
    for lines in (python, go, rust, kotlin):
        assert store_forms.keeps_held_state_in_cache(lines), lines
    # a raw command needs a key-value client named on its line
    assert not store_forms.writes_to_cache('    audit_cache.log(["SET", slot])')


def test_a_cache_of_what_a_database_keeps_is_a_cache() -> None:
    # the reservation is also written to (or read from) the database: the cache holds a copy
    write_through = [*PHP_LOCKERS, "        DB::table('parcel_holds')->insert(['parcel' => $parcel]);"]
    assert rule_shapes.keeps_state_in_cache(EVICTION_RULE, write_through) == []
    read_through = [
        "def reservation(id):",
        "    row = ReservationRepository.find_by_id(id)",
        "    cache.set(f'reservation:{id}', row.json(), ex=60)",
    ]
    assert store_forms.keeps_held_state_in_cache(read_through) == []
    # what a cache is for: rates, pages, counters
    rates = ["    cache.set(f'fx:{currency}', rates, ex=300)", "def exchange_rates(currency): ..."]
    assert store_forms.keeps_held_state_in_cache(rates) == []
    # a hold written to a store not named as a cache (a dedicated, noeviction Redis) is not this shape
    dedicated = ["        $this->holdsRedis->set(\"hold:$parcel\", $customer, 'EX', 900, 'NX');"]
    assert store_forms.keeps_held_state_in_cache(dedicated) == []
    # "threshold" and "placeholder" hold nothing
    breaker = ["        Cache::add('breaker:threshold', 0, 60);"]
    assert store_forms.keeps_held_state_in_cache(breaker) == []


def test_only_a_rule_about_state_in_caches_is_broken() -> None:
    assert rule_shapes.keeps_state_in_cache(
        "Keep caches and durable state in separate Redis clusters with separate memory limits.", PHP_LOCKERS
    )
    assert not rule_shapes.keeps_state_in_cache(
        "Alert on any key eviction in Redis clusters that hold state rather than cache.", PHP_LOCKERS
    )
    assert not rule_shapes.keeps_state_in_cache("Never log raw request or response bodies.", PHP_LOCKERS)


def test_holds_in_a_cache_are_told_in_the_lessons_words() -> None:
    acts = rule_shapes.acts_in_lessons_words(PHP_LOCKERS, [])
    assert rule_shapes.HELD_STATE_IN_CACHE in acts


# --- a shared Latin prefix is not the same word -----------------------------------------------------------

CARD_RULE = "Do not store, process or transmit full card numbers in any Parcelwise system."


def test_transform_transmits_nothing() -> None:
    serilog = [
        "    .Destructure.ByTransforming<CreateBookingRequest>(r => new { r.SlotId, r.ContainerNumber })"
    ]
    assert compliance.does_forbidden(CARD_RULE, serilog) == []
    assert not compliance.violates(CARD_RULE, serilog)
    sent = ["    gateway.transmit(card.number)"]
    assert compliance.does_forbidden(CARD_RULE, sent)
    # the prefix rule keeps a verb's own forms, and words that agree past it
    assert compliance._same_word("transmit", "transmiss")
    assert compliance._same_word("persist", "persist")
    assert not compliance._same_word("compress", "compute")
    assert compliance._same_word("logg", "log")


# --- a quoted SQL command is found where a statement starts ----------------------------------------------

RUNBOOK = (
    "# Lock waits\n\n## Mitigation\n\n"
    "Never run `VACUUM FULL`, `CLUSTER` or `REINDEX` without `CONCURRENTLY` on the orders tables.\n"
)


def test_cluster_in_prose_is_no_cluster_statement() -> None:
    found = signatures.extract(RUNBOOK)
    alarm = ['  alarm_description = "Any eviction on the reservations cluster loses stock."']
    assert signatures.match(found, alarm, []).risks == ()
    keyed = ["  cluster: reservations-eu-1", '  cluster = "reservations"']
    assert signatures.match(found, keyed, []).risks == ()
    for statement in ("CLUSTER orders USING orders_pkey;", '    op.execute("vacuum full orders")'):
        assert signatures.match(found, [statement], []).risks, statement


# --- other stacks' spellings of acts the gate already reads ------------------------------------------------


def test_outbound_http_clients_of_other_stacks() -> None:
    for line in (
        "    $client = new \\GuzzleHttp\\Client(['base_uri' => $url]);",
        "        $response = Http::post($url, $payload);",
        "        using var client = new HttpClient();",
        "    let resp = reqwest::Client::new().post(url).json(&body).send().await?;",
        "    let body = ureq::get(&url).call()?.into_string()?;",
        '  val response = basicRequest.post(uri"$carrierUrl").send(backend)',
        "    let (data, _) = try await URLSession.shared.data(for: request)",
        "    {:ok, resp} = HTTPoison.post(url, Jason.encode!(body), headers)",
        "    val client = HttpClient(CIO) {",
    ):
        assert code_forms.outbound_http(line), line
    # an SDK client takes its config (round nineteen reads a bare `Client::new()` with no arguments as
    # an HTTP client: reqwest's, hyper's)
    for line in (
        "    $client = new Client($config);",
        "    let c = Client::new(&config);",
        "    Http::fake();",
    ):
        assert not code_forms.outbound_http(line), line


def test_no_timeout_in_other_stacks() -> None:
    assert code_forms.switched_off("    .timeout(Duration::ZERO)") == ["timeout"]
    assert code_forms.switched_off('timeout = "0s"') == ["timeout"]
    assert code_forms.switched_off("read_timeout = Duration::from_secs(0)") == ["read_timeout"]
    assert code_forms.switched_off("  requestTimeout = Duration.Inf") == ["requestTimeout"]
    assert code_forms.switched_off("  request_timeout: 0.seconds") == ["request_timeout"]
    assert code_forms.switched_off('timeout = "30s"') == []
    assert code_forms.switched_off('timeout = "0.5s"') == []
    assert code_forms.switched_off("read_timeout = Duration::from_secs(10)") == []


def test_a_test_command_whose_failure_the_shell_swallows() -> None:
    for line in (
        "      - run: pytest -q || true",
        "    script: bundle exec rspec || exit 0",
        "  - ./gradlew check || true",
        "      onError: continue",
    ):
        assert code_forms.lets_failure_pass(line), line
    for line in ("      - run: rm -rf build || true", "      - run: pytest -q", "  onError: stopAndFail"):
        assert not code_forms.lets_failure_pass(line), line
    assert code_forms.lets_tests_fail(["      onError: continue"], ["    - name: unit-tests"])


BODY_RULE = "Never log raw request or response bodies, because they routinely contain emails."


def test_logging_calls_of_php_and_rust() -> None:
    assert rule_shapes.logs_request_whole(["        Log::info('refund requested', $request->all());"])
    assert rule_shapes.logs_request_whole(
        ["        $this->logger->info('refund', ['body' => $request->getContent()]);"]
    )
    assert rule_shapes.logs_request_whole(['    info!("signup {:?}", request);'])
    assert rule_shapes.logs_request_whole(['    tracing::warn!("bad payload {:?}", payload);'])
    assert not rule_shapes.logs_request_whole(
        ["        Log::info('refund requested', ['id' => $request->id]);"]
    )
    assert not rule_shapes.logs_request_whole(['    info!("signup {}", request.id);'])
    assert rule_shapes.logs_whole_request(
        BODY_RULE, ["        Log::info('refund requested', $request->all());"]
    )
