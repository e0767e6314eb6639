;; The field scan of apache-access.ts (`scan`, the Common/Combined/vhost layouts) in WebAssembly
;; with SIMD. It must find exactly the boundaries that function finds (a property test compares
;; the two on any bytes); the rules are documented there. `npm run wasm` compiles this file into
;; apache-access.wasm.ts.
;;
;; Each search for a byte (a space, a quote, the end of the line) reads 16 or 32 bytes at a time
;; and takes the first match from a mask, where the JavaScript scan reads four bytes a step; and
;; the line's end is found by the same call that scans the line, so that finding line ends costs
;; no native call per line. The helpers are inlined where they are called when the module is
;; built (see scripts/wasm.mjs): as calls they took a third of its time.
;;
;; Searching only where the scan looks beats masking the whole line once: a mask of spaces and
;; quotes per 32 bytes, the scan then reading positions from the masks, did the user agent's bytes
;; too and took longer in whole ingest.
;;
;; Memory: the field slots (26 i32: [start, end) per field, starts -1 when absent) at 0; the scan's
;; result at 128 (layout, unclosed agent, request spaces, first and second space of the request,
;; the host as an IPv4 address and whether it is one);
;; a line's LF (-1: none) and end at 160; the window of bytes being indexed from 4096 on, followed
;; by 32 bytes of zeros so that any load the scan makes near the window's end stays inside the
;; memory and reads what JavaScript reads past the end of an array: nothing equal to what it seeks.
;; Positions given and stored are window positions (memory address minus 4096).
(module
  (memory (export "memory") 1)

  ;; The first position in [i, end) holding byte a or byte b; `end` when there is none.
  (func $find (param $i i32) (param $end i32) (param $a i32) (param $b i32) (result i32)
    (local $va v128) (local $vb v128) (local $block v128) (local $m i32) (local $room i32)
    (local.set $va (i8x16.splat (local.get $a)))
    (local.set $vb (i8x16.splat (local.get $b)))
    (loop $step
      (local.set $room (i32.sub (local.get $end) (local.get $i)))
      (if (i32.le_s (local.get $room) (i32.const 0)) (then (return (local.get $end))))
      (local.set $block (v128.load (local.get $i)))
      (local.set $m
        (i8x16.bitmask
          (v128.or (i8x16.eq (local.get $block) (local.get $va))
            (i8x16.eq (local.get $block) (local.get $vb)))))
      (if (i32.lt_u (local.get $room) (i32.const 16))
        (then
          (local.set $m
            (i32.and (local.get $m) (i32.sub (i32.shl (i32.const 1) (local.get $room)) (i32.const 1))))))
      (if (local.get $m) (then (return (i32.add (local.get $i) (i32.ctz (local.get $m))))))
      (local.set $i (i32.add (local.get $i) (i32.const 16)))
      (br $step))
    (unreachable))

  ;; The last position in [from, end) holding byte c, or -1.
  (func $findLast (param $from i32) (param $end i32) (param $c i32) (result i32)
    (local $vc v128) (local $m i32) (local $room i32) (local $at i32)
    (local.set $vc (i8x16.splat (local.get $c)))
    (loop $step
      (local.set $room (i32.sub (local.get $end) (local.get $from)))
      (if (i32.le_s (local.get $room) (i32.const 0)) (then (return (i32.const -1))))
      ;; The 16 bytes before `end`; those before `from` are masked off (the memory before the
      ;; window is this module's own, and the window starts 4096 bytes in).
      (local.set $at (i32.sub (local.get $end) (i32.const 16)))
      (local.set $m (i8x16.bitmask (i8x16.eq (v128.load (local.get $at)) (local.get $vc))))
      (if (i32.lt_u (local.get $room) (i32.const 16))
        (then
          (local.set $m
            (i32.and (local.get $m) (i32.shl (i32.const -1) (i32.sub (i32.const 16) (local.get $room)))))))
      (if (local.get $m)
        (then (return (i32.add (local.get $at) (i32.sub (i32.const 31) (i32.clz (local.get $m)))))))
      (local.set $end (local.get $at))
      (br $step))
    (unreachable))

  ;; The first LF in [i, end), 32 bytes a step, or -1. `end` is the window's end, after which come
  ;; zeros: no LF is found past it.
  (func $lineFeed (param $i i32) (param $end i32) (result i32)
    (local $m i32) (local $room i32)
    (loop $step
      (local.set $room (i32.sub (local.get $end) (local.get $i)))
      (if (i32.le_s (local.get $room) (i32.const 0)) (then (return (i32.const -1))))
      (local.set $m
        (i32.or
          (i8x16.bitmask
            (i8x16.eq (v128.load (local.get $i))
              (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10)))
          (i32.shl
            (i8x16.bitmask
              (i8x16.eq (v128.load offset=16 (local.get $i))
                (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10)))
            (i32.const 16))))
      (if (local.get $m) (then (return (i32.add (local.get $i) (i32.ctz (local.get $m))))))
      (local.set $i (i32.add (local.get $i) (i32.const 32)))
      (br $step))
    (unreachable))

  ;; The host read as an IPv4 address (the number at 148, 1 at 152, or 0 at 152): the index then
  ;; interns the number, in a table a fraction of the size of the cache that finds an address by
  ;; its bytes; while windows stream through the caches, that lookup cost more than the parse.
  ;; @include ipv4.part.wat

  (func $isDigit (param $c i32) (result i32)
    (i32.lt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 10)))

  ;; Stores [start, end) of slot k (memory addresses in, window positions out).
  (func $slot (param $k i32) (param $start i32) (param $end i32)
    (i32.store (i32.shl (local.get $k) (i32.const 3)) (i32.sub (local.get $start) (i32.const 4096)))
    (i32.store offset=4 (i32.shl (local.get $k) (i32.const 3)) (i32.sub (local.get $end) (i32.const 4096))))

  ;; Scans the window's [start, end) as `scan` does; returns the layout (0 invalid, 1 standard),
  ;; or 2 for a line that starts with `[` (ssl_request_log), which is left to JavaScript.
  ;;
  ;; With `line` set, `end` is the window's end and the record is the line from `start`: its end
  ;; is its first LF (without a CR before it), or the window's end. The LF's position (-1: none)
  ;; is stored at 160 and the record's end at 164, so that the framer's search for line ends and
  ;; the scan of the line are one call.
  (func (export "scan") (param $start i32) (param $end i32) (param $line i32) (result i32)
    (local $i i32) (local $k i32) (local $spaces i32) (local $s0 i32) (local $s1 i32) (local $s2 i32)
    (local $lb i32) (local $rb i32) (local $rs i32) (local $re i32) (local $p i32) (local $be i32)
    (local $ref i32) (local $close i32) (local $agent i32) (local $lf i32)
    (local.set $start (i32.add (local.get $start) (i32.const 4096)))
    (local.set $end (i32.add (local.get $end) (i32.const 4096)))
    (if (local.get $line)
      (then
        (local.set $lf (call $lineFeed (local.get $start) (local.get $end)))
        (if (i32.ge_s (local.get $lf) (i32.const 0)) (then (local.set $end (local.get $lf))))
        (if (i32.and (i32.gt_u (local.get $end) (local.get $start))
              (i32.eq (i32.load8_u (i32.sub (local.get $end) (i32.const 1))) (i32.const 13)))
          (then (local.set $end (i32.sub (local.get $end) (i32.const 1)))))
        (i32.store offset=160 (i32.const 0)
          (select (i32.sub (local.get $lf) (i32.const 4096)) (i32.const -1)
            (i32.ge_s (local.get $lf) (i32.const 0))))
        (i32.store offset=164 (i32.const 0) (i32.sub (local.get $end) (i32.const 4096)))))
    ;; Only the starts: an end is read only where its start is set.
    (local.set $k (i32.const 0))
    (loop $clear
      (i32.store (local.get $k) (i32.const -1))
      (local.set $k (i32.add (local.get $k) (i32.const 8)))
      (br_if $clear (i32.lt_u (local.get $k) (i32.const 104))))
    (i32.store offset=132 (i32.const 0) (i32.const 0))
    (i32.store offset=136 (i32.const 0) (i32.const 0))
    (i32.store offset=152 (i32.const 0) (i32.const 0))
    (if (i32.eq (i32.load8_u (local.get $start)) (i32.const 91)) (then (return (i32.const 2))))
    ;; host logname user, or vhost:port host logname user, up to " [": where is each space?
    (local.set $s0 (i32.const -1))
    (local.set $s1 (i32.const -1))
    (local.set $s2 (i32.const -1))
    (local.set $lb (i32.const -1))
    (local.set $i (local.get $start))
    (block $header
      (loop $space
        (local.set $i (call $find (local.get $i) (local.get $end) (i32.const 32) (i32.const 32)))
        (br_if $header (i32.ge_u (local.get $i) (local.get $end)))
        (if (i32.eq (i32.load8_u offset=1 (local.get $i)) (i32.const 91))
          (then (local.set $lb (i32.add (local.get $i) (i32.const 1))) (br $header)))
        (if (i32.eqz (local.get $spaces)) (then (local.set $s0 (local.get $i))))
        (if (i32.eq (local.get $spaces) (i32.const 1)) (then (local.set $s1 (local.get $i))))
        (if (i32.eq (local.get $spaces) (i32.const 2)) (then (local.set $s2 (local.get $i))))
        (local.set $spaces (i32.add (local.get $spaces) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $space)))
    (if (i32.or (i32.lt_s (local.get $lb) (i32.const 0)) (i32.lt_u (local.get $spaces) (i32.const 2)))
      (then (return (i32.const 0))))
    (if (i32.ge_u (local.get $spaces) (i32.const 3))
      (then
        (call $slot (i32.const 0) (local.get $start) (local.get $s0))
        (call $slot (i32.const 1) (i32.add (local.get $s0) (i32.const 1)) (local.get $s1))
        (call $slot (i32.const 2) (i32.add (local.get $s1) (i32.const 1)) (local.get $s2))
        (call $slot (i32.const 3) (i32.add (local.get $s2) (i32.const 1)) (i32.sub (local.get $lb) (i32.const 1))))
      (else
        (call $slot (i32.const 1) (local.get $start) (local.get $s0))
        (call $slot (i32.const 2) (i32.add (local.get $s0) (i32.const 1)) (local.get $s1))
        (call $slot (i32.const 3) (i32.add (local.get $s1) (i32.const 1)) (i32.sub (local.get $lb) (i32.const 1)))))
    (call $ipv4 (i32.add (i32.load offset=8 (i32.const 0)) (i32.const 4096))
      (i32.add (i32.load offset=12 (i32.const 0)) (i32.const 4096)) (i32.const 148))
    ;; [dd/Mon/yyyy:HH:MM:SS +zzzz] is 26 bytes inside the brackets; look there first.
    (local.set $rb (i32.add (local.get $lb) (i32.const 27)))
    (if (i32.ne (i32.load8_u (local.get $rb)) (i32.const 93))
      (then
        (local.set $rb (call $find (i32.add (local.get $lb) (i32.const 1)) (local.get $end) (i32.const 93) (i32.const 93)))
        (if (i32.ge_u (local.get $rb) (local.get $end)) (then (return (i32.const 0))))))
    (call $slot (i32.const 4) (i32.add (local.get $lb) (i32.const 1)) (local.get $rb))
    (if (i32.or (i32.ne (i32.load8_u offset=1 (local.get $rb)) (i32.const 32))
          (i32.ne (i32.load8_u offset=2 (local.get $rb)) (i32.const 34)))
      (then (return (i32.const 0))))
    ;; The request ends at the first `"` followed by ` NNN` and a space or the end; its spaces are
    ;; counted (up to three) on the way, and the first two kept.
    (local.set $rs (i32.add (local.get $rb) (i32.const 3)))
    (local.set $re (i32.const -1))
    (local.set $spaces (i32.const 0))
    (local.set $i (local.get $rs))
    (block $request
      (loop $byte
        (local.set $i (call $find (local.get $i) (local.get $end) (i32.const 32) (i32.const 34)))
        (br_if $request (i32.ge_u (local.get $i) (local.get $end)))
        (if (i32.eq (i32.load8_u (local.get $i)) (i32.const 32))
          (then
            (if (i32.eqz (local.get $spaces))
              (then (i32.store offset=140 (i32.const 0) (i32.sub (local.get $i) (i32.const 4096)))))
            (if (i32.eq (local.get $spaces) (i32.const 1))
              (then (i32.store offset=144 (i32.const 0) (i32.sub (local.get $i) (i32.const 4096)))))
            (if (i32.lt_u (local.get $spaces) (i32.const 3))
              (then (local.set $spaces (i32.add (local.get $spaces) (i32.const 1)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $byte)))
        (if (i32.and
              (i32.and (i32.eq (i32.load8_u offset=1 (local.get $i)) (i32.const 32))
                (i32.le_u (i32.add (local.get $i) (i32.const 5)) (local.get $end)))
              (i32.and
                (i32.and (call $isDigit (i32.load8_u offset=2 (local.get $i)))
                  (call $isDigit (i32.load8_u offset=3 (local.get $i))))
                (i32.and (call $isDigit (i32.load8_u offset=4 (local.get $i)))
                  (i32.or (i32.eq (i32.add (local.get $i) (i32.const 5)) (local.get $end))
                    (i32.eq (i32.load8_u offset=5 (local.get $i)) (i32.const 32))))))
          (then (local.set $re (local.get $i)) (br $request)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $byte)))
    (i32.store offset=136 (i32.const 0) (local.get $spaces))
    (if (i32.lt_s (local.get $re) (i32.const 0)) (then (return (i32.const 0))))
    (call $slot (i32.const 5) (local.get $rs) (local.get $re))
    (call $slot (i32.const 6) (i32.add (local.get $re) (i32.const 2)) (i32.add (local.get $re) (i32.const 5)))
    (local.set $p (i32.add (local.get $re) (i32.const 6)))
    (if (i32.gt_u (local.get $p) (local.get $end)) (then (return (i32.const 1))))
    (local.set $be (call $find (local.get $p) (local.get $end) (i32.const 32) (i32.const 32)))
    (call $slot (i32.const 7) (local.get $p) (local.get $be))
    (local.set $p (i32.add (local.get $be) (i32.const 1)))
    (if (i32.ge_u (local.get $p) (local.get $end)) (then (return (i32.const 1))))
    (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 34))
      (then
        (call $slot (i32.const 10) (local.get $p) (local.get $end))
        (return (i32.const 1))))
    ;; "referer" "user-agent" [rest]: the referer ends at `" "`.
    (local.set $ref (i32.const -1))
    (local.set $i (i32.add (local.get $p) (i32.const 1)))
    (block $referer
      (loop $quote
        (local.set $i (call $find (local.get $i) (local.get $end) (i32.const 34) (i32.const 34)))
        (br_if $referer (i32.ge_u (local.get $i) (local.get $end)))
        (if (i32.and (i32.eq (i32.load8_u offset=1 (local.get $i)) (i32.const 32))
              (i32.eq (i32.load8_u offset=2 (local.get $i)) (i32.const 34)))
          (then (local.set $ref (local.get $i)) (br $referer)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $quote)))
    (if (i32.lt_s (local.get $ref) (i32.const 0))
      (then
        ;; Only one quoted field follows: keep it as the referer.
        (local.set $close (call $findLast (i32.add (local.get $p) (i32.const 1)) (local.get $end) (i32.const 34)))
        (call $slot (i32.const 8) (i32.add (local.get $p) (i32.const 1))
          (select (local.get $end) (local.get $close) (i32.lt_s (local.get $close) (i32.const 0))))
        (if (i32.and (i32.ge_s (local.get $close) (i32.const 0))
              (i32.lt_u (i32.add (local.get $close) (i32.const 2)) (local.get $end)))
          (then (call $slot (i32.const 10) (i32.add (local.get $close) (i32.const 2)) (local.get $end))))
        (return (i32.const 1))))
    (call $slot (i32.const 8) (i32.add (local.get $p) (i32.const 1)) (local.get $ref))
    (local.set $agent (i32.add (local.get $ref) (i32.const 3)))
    (local.set $close (call $findLast (local.get $agent) (local.get $end) (i32.const 34)))
    (if (i32.lt_s (local.get $close) (i32.const 0))
      (then
        (call $slot (i32.const 9) (local.get $agent) (local.get $end))
        (i32.store offset=132 (i32.const 0) (i32.const 1))
        (return (i32.const 1))))
    (call $slot (i32.const 9) (local.get $agent) (local.get $close))
    (if (i32.lt_u (i32.add (local.get $close) (i32.const 2)) (local.get $end))
      (then (call $slot (i32.const 10) (i32.add (local.get $close) (i32.const 2)) (local.get $end))))
    (i32.const 1))
)
