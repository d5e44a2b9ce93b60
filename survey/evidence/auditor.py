"""What travels with every pack so an auditor can check it without us."""

# Standard-library Python only; kept short enough to read before running.
CHECK_SCRIPT = '''\
"""Check an unpacked Hai Long QR evidence pack. Usage: python3 check_pack.py [PACK_DIR [N]]
Prints the Merkle root of the first N leaves (default: all) to compare with a root you hold."""
import hashlib, json, sys

pack = sys.argv[1] if len(sys.argv) > 1 else "."


def node(left, right):
    return hashlib.sha256(b"\\x01" + left + right).digest()


def mth(hashes):  # RFC 6962 Merkle tree hash
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return node(mth(hashes[:k]), mth(hashes[k:]))


raw = open(pack + "/integrity/leaves.bin", "rb").read()
leaves = [raw[i : i + 32] for i in range(0, len(raw), 32)]
seal = json.load(open(pack + "/manifest.json", encoding="utf-8"))["seal"]
size = int(sys.argv[2]) if len(sys.argv) > 2 else len(leaves)
print("Root of the first", size, "leaves:", mth(leaves[:size]).hex())
ok = len(leaves) == seal["tree_size"] and mth(leaves).hex() == seal["root_hash"]
print("Seal", seal["id"], "root matches leaves.bin:", ok)
bad = 0
for line in open(pack + "/integrity/records.jsonl", encoding="utf-8"):
    record = json.loads(line)
    index = record["leaf_index"]
    digest = hashlib.sha256(b"\\x00" + record["leaf"].encode("utf-8")).digest()
    if index is not None and (index >= len(leaves) or leaves[index] != digest):
        bad += 1
        print("Record at leaf", index, "does not match the sealed leaf")
print("Records checked; mismatches:", bad)
sys.exit(0 if ok and bad == 0 else 1)
'''

VERIFY_TEXT = """\
KIỂM TRA GÓI MINH CHỨNG / HOW TO CHECK THIS EVIDENCE PACK
=========================================================

Gói: {document_id}
Đơn vị: {agency} — kỳ {date_from} đến {date_to}
Niêm phong #{seal_id}: {tree_size} lá, gốc Merkle (SHA-256):
  {root_hash}

1. Không tệp nào bị thay đổi / No file was changed
   Giải nén gói, mở thư mục giải nén và chạy:      sha256sum -c SHA256SUMS
   (macOS: shasum -a 256 -c SHA256SUMS; Windows: certutil -hashfile TÊN_TỆP SHA256
   rồi so với dòng tương ứng trong SHA256SUMS). Mọi dòng phải báo OK.

2. Dữ liệu khớp với niêm phong / The data matches the seal
   Chạy: python3 integrity/check_pack.py .
   Tập lệnh ngắn, chỉ dùng thư viện chuẩn của Python, đọc được trước khi chạy. Nó tính lại gốc
   Merkle (RFC 6962) từ integrity/leaves.bin, so với gốc ghi trong manifest.json, và kiểm tra
   từng bản ghi trong integrity/records.jsonl (mỗi phiếu và mỗi quyết định loại phiếu) khớp với
   lá đã niêm phong. Kết quả cuối phải là "mismatches: 0".

3. Không ai viết lại lịch sử / Nobody rewrote history
   Nếu Ông/Bà đã giữ một gốc trước đây (in trong báo cáo đã ký của kỳ trước, hoặc trong gói
   trước), chạy: python3 integrity/check_pack.py . N
   với N là số lá của gốc cũ. Gốc in ra phải đúng bằng gốc cũ. Nếu khác, dữ liệu đã niêm phong
   trước đây đã bị sửa. Hãy lưu gốc ở trên để đối chiếu lần sau.

Tệp data/responses.xlsx, dữ liệu gốc / raw data sheets: {raw_layout}.
(Một trang tính Excel chứa tối đa 1.048.576 dòng; data/responses.csv và .json luôn đủ mọi phiếu.)

Cách mã hoá mỗi bản ghi và thuật toán được mô tả đầy đủ trong tài liệu docs/integrity.md
và docs/evidence.md của phần mềm (The leaf encoding and algorithm are documented there.)
Với phần mềm Hài Lòng QR: flask --app wsgi verify-pack TỆP.zip [--root GỐC --size N]
"""
