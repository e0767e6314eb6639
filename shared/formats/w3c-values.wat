;; The W3C entry tokenizer of w3c-values.ts in WebAssembly with SIMD. It must split exactly as
;; that file's `tokenize` does (a property test compares the two); the rules are documented there.
;; `npm run wasm` compiles this file into w3c-values.wasm.ts.
;;
;; The entry is read 32 bytes at a time: two 16-byte compares give a mask of its separators, and
;; the places where a byte's class differs from the one before are where values start and end.
;; A block where no quoted value starts stores them without a branch per value (a branch per
;; value end in a byte loop was what the JavaScript tokenizer spent its time on, and a branch per
;; change still most of this one's); a block where one does takes them one by one, and the quoted
;; value is closed by a search for quotes, 16 bytes at a time, the blocks going on after it.
;;
;; Memory: value starts (i32) at 0, value ends (i32) at 1024, value kinds (u8) at 2048, room for
;; 256 values each (the first 256 values of an entry are stored, and a few slots past its last
;; may be written); the client address at 3080 and 3084, the status at 3088 and 3092 (see
;; `tokenize`); the window of bytes being indexed from 4096 on, followed by 32 bytes of slack
;; so that a 32-byte load at any position before the window's end stays inside the memory.
;; Positions given and stored are window positions (memory address minus 4096).
(module
  (memory (export "memory") 1)

  ;; @include ipv4.part.wat

  ;; [start, end) (memory addresses) read as w3c.ts's isPlainNumber reads a status: one to nine
  ;; decimal digits, no leading zero. Stores the number at `out` and 1 at out+4, or 0 at out+4.
  (func $decimal (param $start i32) (param $end i32) (param $out i32)
    (local $i i32) (local $digit i32) (local $value i32)
    (i32.store offset=4 (local.get $out) (i32.const 0))
    (if (i32.or (i32.ge_u (local.get $start) (local.get $end))
          (i32.gt_u (i32.sub (local.get $end) (local.get $start)) (i32.const 9)))
      (then (return)))
    (if (i32.and (i32.eq (i32.load8_u (local.get $start)) (i32.const 48))
          (i32.gt_u (i32.sub (local.get $end) (local.get $start)) (i32.const 1)))
      (then (return)))
    (local.set $i (local.get $start))
    (loop $digits
      (local.set $digit (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)))
      (if (i32.ge_u (local.get $digit) (i32.const 10)) (then (return)))
      (local.set $value (i32.add (i32.mul (local.get $value) (i32.const 10)) (local.get $digit)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $digits (i32.lt_u (local.get $i) (local.get $end))))
    (i32.store (local.get $out) (local.get $value))
    (i32.store offset=4 (local.get $out) (i32.const 1)))

  ;; The end of a line's entry: `end` moved back over spaces, tabs, CRs and LFs, not past `start`
  ;; (what the JavaScript indexer's trimEnd gives).
  (func $trimmed (param $start i32) (param $end i32) (result i32)
    (local $c i32)
    (block $done
      (loop $back
        (br_if $done (i32.le_u (local.get $end) (local.get $start)))
        (local.set $c (i32.load8_u (i32.sub (local.get $end) (i32.const 1))))
        (br_if $done
          (i32.eqz
            (i32.or
              (i32.or (i32.eq (local.get $c) (i32.const 32)) (i32.eq (local.get $c) (i32.const 9)))
              (i32.or (i32.eq (local.get $c) (i32.const 13)) (i32.eq (local.get $c) (i32.const 10))))))
        (local.set $end (i32.sub (local.get $end) (i32.const 1)))
        (br $back)))
    (local.get $end))

  ;; Splits the window's [start, end) into values, storing the positions and kinds of the first
  ;; 256. Returns the number of values times 2, plus 1 when a quote is unclosed.
  ;;
  ;; The value numbered `ip` (-1: none), the client's address, is read as an IPv4 address as its
  ;; end is found, while its bytes are at hand: the number at 3080, and 1 at 3084 when it is one
  ;; (0 when it is not, is quoted, or is missing). The index then interns the number, in a table a
  ;; fraction of the size of the cache that finds an address by its bytes. The value numbered
  ;; `status` is read as a decimal number the same way, into 3088 and 3092.
  ;;
  ;; With `line` set, `end` is the window's end and the entry is the line from `start`: the split
  ;; stops at the first LF, and the entry ends where trimEnd would end it. The LF's position (-1
  ;; when there is none before `end`) is stored at 3072 and the entry's end at 3076, so that the
  ;; framer's search for line ends and the split of the line are one pass.
  (func (export "tokenize")
    (param $start i32) (param $end i32) (param $line i32) (param $ip i32) (param $status i32)
    (result i32)
    (local $i i32) (local $ns i32) (local $ne i32) (local $room i32) (local $seps i32)
    (local $changes i32) (local $before i32) (local $k i32) (local $at i32) (local $starts i32)
    (local $ends i32) (local $quotes i32) (local $was i32) (local $base i32)
    (local $close i32) (local $kind i32) (local $unclosed i32) (local $from i32) (local $quote i32)
    (local $next i32) (local $mask i32) (local $lfs i32) (local $lf i32) (local $origin i32)
    (local.set $origin (i32.add (local.get $start) (i32.const 4096)))
    (local.set $i (local.get $origin))
    (local.set $end (i32.add (local.get $end) (i32.const 4096)))
    (local.set $lf (i32.const -1))
    (i32.store offset=3084 (i32.const 0) (i32.const 0))
    (i32.store offset=3092 (i32.const 0) (i32.const 0))
    ;; What precedes the entry counts as a separator.
    (local.set $before (i32.const 1))
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        ;; Bit k: byte i+k is a separator (<= 0x20); bytes from the end on count as separators.
        (local.set $seps
          (i32.or
            (i8x16.bitmask
              (i8x16.le_u (v128.load (local.get $i))
                (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)))
            (i32.shl
              (i8x16.bitmask
                (i8x16.le_u (v128.load offset=16 (local.get $i))
                  (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)))
              (i32.const 16))))
        (local.set $room (i32.sub (local.get $end) (local.get $i)))
        (if (i32.lt_u (local.get $room) (i32.const 32))
          (then (local.set $seps (i32.or (local.get $seps) (i32.shl (i32.const -1) (local.get $room))))))
        (if (local.get $line)
          (then
            (local.set $lfs
              (i32.or
                (i8x16.bitmask
                  (i8x16.eq (v128.load (local.get $i))
                    (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10)))
                (i32.shl
                  (i8x16.bitmask
                    (i8x16.eq (v128.load offset=16 (local.get $i))
                      (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10)))
                  (i32.const 16))))
            ;; Only LFs before the end count (the slack past the window is zeros).
            (if (i32.lt_u (local.get $room) (i32.const 32))
              (then
                (local.set $lfs
                  (i32.and (local.get $lfs)
                    (i32.sub (i32.shl (i32.const 1) (local.get $room)) (i32.const 1))))))
            (if (local.get $lfs)
              (then
                ;; The line ends here: what follows is the next line's, and counts as separators.
                (local.set $lf (i32.add (local.get $i) (i32.ctz (local.get $lfs))))
                (local.set $seps
                  (i32.or (local.get $seps) (i32.shl (i32.const -1) (i32.ctz (local.get $lfs)))))
                (local.set $end (call $trimmed (local.get $origin) (local.get $lf)))
                (local.set $line (i32.const 0))))))
        ;; Bit k: byte i+k starts a value or ends one (its class differs from the byte before).
        (local.set $changes
          (i32.xor (local.get $seps) (i32.or (i32.shl (local.get $seps) (i32.const 1)) (local.get $before))))
        (local.set $starts (i32.and (local.get $changes) (i32.xor (local.get $seps) (i32.const -1))))
        (local.set $ends (i32.and (local.get $changes) (local.get $seps)))
        (local.set $quotes
          (i32.or
            (i8x16.bitmask
              (i8x16.eq (v128.load (local.get $i))
                (v128.const i8x16 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34)))
            (i32.shl
              (i8x16.bitmask
                (i8x16.eq (v128.load offset=16 (local.get $i))
                  (v128.const i8x16 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34)))
              (i32.const 16))))
        (if (i32.and (i32.eqz (i32.and (local.get $starts) (local.get $quotes)))
              (i32.le_u (local.get $ns) (i32.const 224)))
          (then
            ;; No quoted value starts in the block: every change is a plain value's start or end,
            ;; starts where a value begins and ends where one ends. They are stored four at a time
            ;; whatever their number (a branch per value was most of the split's time); stores
            ;; past the last land where later values go, and are overwritten.
            (local.set $base (i32.sub (local.get $i) (i32.const 4096)))
            (local.set $was (local.get $ne))
            (v128.store offset=2048 (local.get $ne) (v128.const i32x4 0 0 0 0))
            (v128.store offset=2064 (local.get $ne) (v128.const i32x4 0 0 0 0))
            (local.set $k (i32.shl (local.get $ns) (i32.const 2)))
            (local.set $ns (i32.add (local.get $ns) (i32.popcnt (local.get $starts))))
            (loop $more_starts
              (i32.store offset=0 (local.get $k) (i32.add (local.get $base) (i32.ctz (local.get $starts))))
              (local.set $starts (i32.and (local.get $starts) (i32.sub (local.get $starts) (i32.const 1))))
              (i32.store offset=4 (local.get $k) (i32.add (local.get $base) (i32.ctz (local.get $starts))))
              (local.set $starts (i32.and (local.get $starts) (i32.sub (local.get $starts) (i32.const 1))))
              (i32.store offset=8 (local.get $k) (i32.add (local.get $base) (i32.ctz (local.get $starts))))
              (local.set $starts (i32.and (local.get $starts) (i32.sub (local.get $starts) (i32.const 1))))
              (i32.store offset=12 (local.get $k) (i32.add (local.get $base) (i32.ctz (local.get $starts))))
              (local.set $starts (i32.and (local.get $starts) (i32.sub (local.get $starts) (i32.const 1))))
              (local.set $k (i32.add (local.get $k) (i32.const 16)))
              (br_if $more_starts (local.get $starts)))
            (local.set $k (i32.shl (local.get $ne) (i32.const 2)))
            (local.set $ne (i32.add (local.get $ne) (i32.popcnt (local.get $ends))))
            (loop $more_ends
              (i32.store offset=1024 (local.get $k) (i32.add (local.get $base) (i32.ctz (local.get $ends))))
              (local.set $ends (i32.and (local.get $ends) (i32.sub (local.get $ends) (i32.const 1))))
              (i32.store offset=1028 (local.get $k) (i32.add (local.get $base) (i32.ctz (local.get $ends))))
              (local.set $ends (i32.and (local.get $ends) (i32.sub (local.get $ends) (i32.const 1))))
              (i32.store offset=1032 (local.get $k) (i32.add (local.get $base) (i32.ctz (local.get $ends))))
              (local.set $ends (i32.and (local.get $ends) (i32.sub (local.get $ends) (i32.const 1))))
              (i32.store offset=1036 (local.get $k) (i32.add (local.get $base) (i32.ctz (local.get $ends))))
              (local.set $ends (i32.and (local.get $ends) (i32.sub (local.get $ends) (i32.const 1))))
              (local.set $k (i32.add (local.get $k) (i32.const 16)))
              (br_if $more_ends (local.get $ends)))
            ;; The client's address and the status, if their values ended in this block.
            (if (i32.and (i32.ge_s (local.get $ip) (local.get $was)) (i32.lt_s (local.get $ip) (local.get $ne)))
              (then
                (call $ipv4
                  (i32.add (i32.load (i32.shl (local.get $ip) (i32.const 2))) (i32.const 4096))
                  (i32.add (i32.load offset=1024 (i32.shl (local.get $ip) (i32.const 2))) (i32.const 4096))
                  (i32.const 3080))))
            (if (i32.and (i32.ge_s (local.get $status) (local.get $was)) (i32.lt_s (local.get $status) (local.get $ne)))
              (then
                (call $decimal
                  (i32.add (i32.load (i32.shl (local.get $status) (i32.const 2))) (i32.const 4096))
                  (i32.add (i32.load offset=1024 (i32.shl (local.get $status) (i32.const 2))) (i32.const 4096))
                  (i32.const 3088))))
            (local.set $before (i32.shr_u (local.get $seps) (i32.const 31)))
            (local.set $i (i32.add (local.get $i) (i32.const 32)))
            (br $block)))
        (block $next_block
          (loop $change
            (br_if $next_block (i32.eqz (local.get $changes)))
            (local.set $k (i32.ctz (local.get $changes)))
            (local.set $changes (i32.and (local.get $changes) (i32.sub (local.get $changes) (i32.const 1))))
            (local.set $at (i32.add (local.get $i) (local.get $k)))
            (if (i32.and (i32.shr_u (local.get $seps) (local.get $k)) (i32.const 1))
              (then
                ;; A separator after a value: the value ends here.
                (if (i32.lt_u (local.get $ne) (i32.const 256))
                  (then
                    (i32.store offset=1024 (i32.shl (local.get $ne) (i32.const 2))
                      (i32.sub (local.get $at) (i32.const 4096)))
                    (i32.store8 offset=2048 (local.get $ne) (i32.const 0))
                    (if (i32.eq (local.get $ne) (local.get $ip))
                      (then
                        (call $ipv4
                          (i32.add (i32.load (i32.shl (local.get $ne) (i32.const 2))) (i32.const 4096))
                          (local.get $at) (i32.const 3080))))
                    (if (i32.eq (local.get $ne) (local.get $status))
                      (then
                        (call $decimal
                          (i32.add (i32.load (i32.shl (local.get $ne) (i32.const 2))) (i32.const 4096))
                          (local.get $at) (i32.const 3088))))))
                (local.set $ne (i32.add (local.get $ne) (i32.const 1)))
                (br $change)))
            ;; A value starts here.
            (if (i32.ne (i32.load8_u (local.get $at)) (i32.const 34))
              (then
                (if (i32.lt_u (local.get $ns) (i32.const 256))
                  (then
                    (i32.store (i32.shl (local.get $ns) (i32.const 2))
                      (i32.sub (local.get $at) (i32.const 4096)))))
                (local.set $ns (i32.add (local.get $ns) (i32.const 1)))
                (br $change)))
            ;; Quoted: it closes at a '"' followed by a separator or the end; '""' is a quote.
            (local.set $kind (i32.const 1))
            (local.set $from (i32.add (local.get $at) (i32.const 1)))
            (block $closed
              (loop $search
                ;; The next '"' from $from (or the end).
                (local.set $quote (local.get $from))
                (block $found
                  (loop $qblock
                    (local.set $room (i32.sub (local.get $end) (local.get $quote)))
                    (if (i32.le_s (local.get $room) (i32.const 0))
                      (then (local.set $quote (local.get $end)) (br $found)))
                    (local.set $mask
                      (i8x16.bitmask
                        (i8x16.eq (v128.load (local.get $quote))
                          (v128.const i8x16 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34 34))))
                    ;; In a line whose end is not known yet, an LF ends the search too.
                    (if (local.get $line)
                      (then
                        (local.set $mask
                          (i32.or (local.get $mask)
                            (i8x16.bitmask
                              (i8x16.eq (v128.load (local.get $quote))
                                (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10)))))))
                    ;; Bytes past the end may be anything: the end itself counts as a quote.
                    (if (i32.lt_u (local.get $room) (i32.const 16))
                      (then (local.set $mask (i32.or (local.get $mask) (i32.shl (i32.const 1) (local.get $room))))))
                    (if (local.get $mask)
                      (then
                        (local.set $quote (i32.add (local.get $quote) (i32.ctz (local.get $mask))))
                        (br $found)))
                    (local.set $quote (i32.add (local.get $quote) (i32.const 16)))
                    (br $qblock)))
                (if (i32.and (local.get $line) (i32.lt_u (local.get $quote) (local.get $end)))
                  (then
                    (if (i32.eq (i32.load8_u (local.get $quote)) (i32.const 10))
                      (then
                        ;; The line ends inside the quote: it is unclosed, up to the entry's end.
                        (local.set $lf (local.get $quote))
                        (local.set $end (call $trimmed (local.get $origin) (local.get $lf)))
                        (local.set $line (i32.const 0))
                        (local.set $quote (local.get $end))))))
                (if (i32.ge_u (local.get $quote) (local.get $end))
                  (then
                    ;; No LF in the rest of the window: the line is the window's last.
                    (if (local.get $line)
                      (then
                        (local.set $end (call $trimmed (local.get $origin) (local.get $end)))
                        (local.set $line (i32.const 0))))
                    (local.set $kind (i32.or (local.get $kind) (i32.const 4)))
                    (local.set $unclosed (i32.const 1))
                    (local.set $close (local.get $end))
                    (br $closed)))
                (local.set $next
                  (if (result i32) (i32.lt_u (i32.add (local.get $quote) (i32.const 1)) (local.get $end))
                    (then (i32.load8_u (i32.add (local.get $quote) (i32.const 1))))
                    (else (i32.const 32))))
                (if (i32.le_u (local.get $next) (i32.const 32))
                  (then
                    (if (i32.and (local.get $line) (i32.eq (local.get $next) (i32.const 10)))
                      (then
                        ;; The closing quote ends the line.
                        (local.set $lf (i32.add (local.get $quote) (i32.const 1)))
                        (local.set $end (call $trimmed (local.get $origin) (local.get $lf)))
                        (local.set $line (i32.const 0))))
                    (local.set $close (local.get $quote))
                    (br $closed)))
                (if (i32.eq (local.get $next) (i32.const 34))
                  (then
                    (local.set $kind (i32.const 2))
                    (local.set $from (i32.add (local.get $quote) (i32.const 2))))
                  (else (local.set $from (i32.add (local.get $quote) (i32.const 1)))))
                (br $search)))
            (if (i32.lt_u (local.get $ne) (i32.const 256))
              (then
                (i32.store (i32.shl (local.get $ns) (i32.const 2))
                  (i32.sub (local.get $at) (i32.const 4095)))
                (i32.store offset=1024 (i32.shl (local.get $ne) (i32.const 2))
                  (i32.sub (local.get $close) (i32.const 4096)))
                (i32.store8 offset=2048 (local.get $ne) (local.get $kind))))
            (local.set $ns (i32.add (local.get $ns) (i32.const 1)))
            (local.set $ne (i32.add (local.get $ne) (i32.const 1)))
            ;; Go on past the closing quote and the separator after it, a new block from there.
            (local.set $i (i32.add (local.get $close) (i32.const 2)))
            (local.set $before (i32.const 1))
            (br $block)))
        (local.set $before (i32.shr_u (local.get $seps) (i32.const 31)))
        (local.set $i (i32.add (local.get $i) (i32.const 32)))
        (br $block)))
    ;; A line with no LF before the window's end: the entry ends where trimEnd ends it.
    (if (local.get $line)
      (then (local.set $end (call $trimmed (local.get $origin) (local.get $end)))))
    (i32.store offset=3072 (i32.const 0)
      (select (i32.sub (local.get $lf) (i32.const 4096)) (i32.const -1)
        (i32.ge_s (local.get $lf) (i32.const 0))))
    (i32.store offset=3076 (i32.const 0) (i32.sub (local.get $end) (i32.const 4096)))
    ;; A plain value running to the end of a block that ends exactly at the entry's end.
    (if (i32.gt_u (local.get $ns) (local.get $ne))
      (then
        (if (i32.lt_u (local.get $ne) (i32.const 256))
          (then
            (i32.store offset=1024 (i32.shl (local.get $ne) (i32.const 2)) (i32.sub (local.get $end) (i32.const 4096)))
            (i32.store8 offset=2048 (local.get $ne) (i32.const 0))
            (if (i32.eq (local.get $ne) (local.get $ip))
              (then
                (call $ipv4
                  (i32.add (i32.load (i32.shl (local.get $ne) (i32.const 2))) (i32.const 4096))
                  (local.get $end) (i32.const 3080))))
            (if (i32.eq (local.get $ne) (local.get $status))
              (then
                (call $decimal
                  (i32.add (i32.load (i32.shl (local.get $ne) (i32.const 2))) (i32.const 4096))
                  (local.get $end) (i32.const 3088))))))
        (local.set $ne (i32.add (local.get $ne) (i32.const 1)))))
    (i32.or (i32.shl (local.get $ne) (i32.const 1)) (local.get $unclosed)))
)
