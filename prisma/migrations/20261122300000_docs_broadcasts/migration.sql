-- CreateTable
CREATE TABLE "doc_categories" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "sort_order" INTEGER NOT NULL DEFAULT 100,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "doc_categories_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "documents" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "number" TEXT,
    "number_key" TEXT,
    "issuer" TEXT,
    "issued_on" TIMESTAMP(3),
    "category_id" INTEGER NOT NULL,
    "urls" JSONB NOT NULL,
    "summary" TEXT,
    "tags" JSONB NOT NULL,
    "search_number" TEXT NOT NULL,
    "search_title" TEXT NOT NULL,
    "search_tags" TEXT NOT NULL,
    "search_summary" TEXT NOT NULL,
    "created_by_id" INTEGER,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "documents_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "document_units" (
    "document_id" INTEGER NOT NULL,
    "unit_id" INTEGER NOT NULL,

    CONSTRAINT "document_units_pkey" PRIMARY KEY ("document_id","unit_id")
);

-- CreateTable
CREATE TABLE "saved_documents" (
    "person_id" INTEGER NOT NULL,
    "document_id" INTEGER NOT NULL,
    "saved_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "saved_documents_pkey" PRIMARY KEY ("person_id","document_id")
);

-- CreateTable
CREATE TABLE "broadcasts" (
    "id" SERIAL NOT NULL,
    "request_key" TEXT NOT NULL,
    "author_id" INTEGER,
    "actor" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "document_id" INTEGER,
    "audience" JSONB NOT NULL,
    "ack_requested" BOOLEAN NOT NULL,
    "remind_at" TIMESTAMP(3),
    "reminded_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "broadcasts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "broadcast_recipients" (
    "id" SERIAL NOT NULL,
    "broadcast_id" INTEGER NOT NULL,
    "person_id" INTEGER,
    "chat_identity_id" INTEGER,
    "unit_id" INTEGER,
    "acked_at" TIMESTAMP(3),

    CONSTRAINT "broadcast_recipients_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "doc_categories_name_key" ON "doc_categories"("name");

-- CreateIndex
CREATE UNIQUE INDEX "documents_number_key_key" ON "documents"("number_key");

-- CreateIndex
CREATE INDEX "documents_issued_on_idx" ON "documents"("issued_on");

-- CreateIndex
CREATE INDEX "document_units_unit_id_idx" ON "document_units"("unit_id");

-- CreateIndex
CREATE UNIQUE INDEX "broadcasts_request_key_key" ON "broadcasts"("request_key");

-- CreateIndex
CREATE INDEX "broadcasts_author_id_idx" ON "broadcasts"("author_id");

-- CreateIndex
CREATE INDEX "broadcasts_remind_at_idx" ON "broadcasts"("remind_at");

-- CreateIndex
CREATE INDEX "broadcast_recipients_broadcast_id_person_id_idx" ON "broadcast_recipients"("broadcast_id", "person_id");

-- CreateIndex
CREATE UNIQUE INDEX "broadcast_recipients_broadcast_id_chat_identity_id_key" ON "broadcast_recipients"("broadcast_id", "chat_identity_id");

-- AddForeignKey
ALTER TABLE "documents" ADD CONSTRAINT "documents_category_id_fkey" FOREIGN KEY ("category_id") REFERENCES "doc_categories"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "documents" ADD CONSTRAINT "documents_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "document_units" ADD CONSTRAINT "document_units_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "document_units" ADD CONSTRAINT "document_units_unit_id_fkey" FOREIGN KEY ("unit_id") REFERENCES "units"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "saved_documents" ADD CONSTRAINT "saved_documents_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "saved_documents" ADD CONSTRAINT "saved_documents_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "broadcasts" ADD CONSTRAINT "broadcasts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "people"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "broadcasts" ADD CONSTRAINT "broadcasts_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "broadcast_recipients" ADD CONSTRAINT "broadcast_recipients_broadcast_id_fkey" FOREIGN KEY ("broadcast_id") REFERENCES "broadcasts"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- The categories every organisation starts with; more can be added (`docs category add`).
INSERT INTO "doc_categories" ("name", "sort_order") VALUES
    ('Thông báo nhanh', 10),
    ('Nghị quyết', 20),
    ('Chỉ thị', 30),
    ('Kết luận', 40),
    ('Đề cương tuyên truyền', 50),
    ('Tài liệu sinh hoạt chi bộ', 60),
    ('Khác', 1000);
