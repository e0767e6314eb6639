;; A function, not a module: `npm run wasm` splices it into the modules that say
;; `;; @include ipv4.part.wat`, so that every module reads an address by the same rules.
;;
;; [start, end) (memory addresses) read as ip-bytes.ts's parseIpv4Bytes reads it: four decimal
;; octets 0-255 without leading zeros and nothing else. Stores the address at `out` and 1 at
;; out+4, or 0 at out+4 when the bytes are not such an address.
  (func $ipv4 (param $start i32) (param $end i32) (param $out i32)
    (local $i i32) (local $part i32) (local $octet i32) (local $digit i32) (local $value i32)
    (local $count i32)
    (i32.store offset=4 (local.get $out) (i32.const 0))
    (local.set $i (local.get $start))
    (loop $parts
      (if (local.get $part)
        (then
          (if (i32.or (i32.ge_u (local.get $i) (local.get $end))
                (i32.ne (i32.load8_u (local.get $i)) (i32.const 46)))
            (then (return)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))))
      ;; One to three digits, the first not a zero unless it is alone, at most 255.
      (local.set $octet (i32.const 0))
      (local.set $count (i32.const 0))
      (block $digits
        (loop $digit
          (br_if $digits (i32.ge_u (local.get $i) (local.get $end)))
          (local.set $digit (i32.sub (i32.load8_u (local.get $i)) (i32.const 48)))
          (br_if $digits (i32.ge_u (local.get $digit) (i32.const 10)))
          (br_if $digits (i32.eq (local.get $count) (i32.const 3)))
          (if (i32.and (i32.eq (local.get $count) (i32.const 1)) (i32.eqz (local.get $octet)))
            (then (return)))
          (local.set $octet (i32.add (i32.mul (local.get $octet) (i32.const 10)) (local.get $digit)))
          (local.set $count (i32.add (local.get $count) (i32.const 1)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $digit)))
      (if (i32.or (i32.eqz (local.get $count)) (i32.gt_u (local.get $octet) (i32.const 255)))
        (then (return)))
      (local.set $value (i32.or (i32.shl (local.get $value) (i32.const 8)) (local.get $octet)))
      (local.set $part (i32.add (local.get $part) (i32.const 1)))
      (br_if $parts (i32.lt_u (local.get $part) (i32.const 4))))
    (if (i32.ne (local.get $i) (local.get $end)) (then (return)))
    (i32.store (local.get $out) (local.get $value))
    (i32.store offset=4 (local.get $out) (i32.const 1)))
